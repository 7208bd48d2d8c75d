// The writer-disjoint train / validation / test parts of the real pen strokes, the same for every command.
#pragma once

#include <string>

#include "data/strokes.h"

namespace fcnet {

enum class StrokePart { train, validation, test };
const char* stroke_part_name(StrokePart part);  // "train", "validation", "test"

// Which part a character's writer belongs to; all of one writer's characters share it:
//   pendigits: its own writer-disjoint split, pendigits-orig.tes is test; of the 30 .tra
//              writers, those whose name hashes to 0 mod 10 (3 of them) are validation;
//   UJI:       writers w01-w07 train, w08 validation, w09-w11 test;
//   UNIPEN:    by the hash of the writer's name mod 10: 0-6 train, 7 validation, 8-9 test.
// The hash is 64-bit FNV-1a of the writer string, so the split never changes with the order
// or the number of files read.
StrokePart stroke_part_of(const HandwrittenCharacter& character);

// UJI letters that pass for digits and are never used as non-digits: o O (0), l I (1),
// s S (5), z Z (2), b (6), g q (9).
constexpr const char* kDigitLikeLetters = "oOlIsSzZbgq";

// True for a UJI letter that may stand for "not a digit" (a letter not in kDigitLikeLetters).
bool is_nondigit_letter(const HandwrittenCharacter& character);

}  // namespace fcnet
