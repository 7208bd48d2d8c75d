// The writer-disjoint split of the pen strokes declared in stroke_split.h.
#include "data/stroke_split.h"

#include <cstdint>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace fcnet {

namespace {

std::uint64_t fnv1a(const std::string& text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
    return hash;
}

// UJI writers are "uji/wNN": NN, or 0 if the name has another form.
int uji_number(const std::string& writer) {
    const std::size_t w = writer.rfind('w');
    return w == std::string::npos ? 0 : std::atoi(writer.c_str() + w + 1);
}

}  // namespace

const char* stroke_part_name(StrokePart part) {
    switch (part) {
        case StrokePart::train: return "train";
        case StrokePart::validation: return "validation";
        default: return "test";
    }
}

StrokePart stroke_part_of(const HandwrittenCharacter& c) {
    const std::uint64_t bucket = fnv1a(c.writer) % 10;
    switch (c.set) {
        case StrokeSet::pendigits:
            if (c.official_test) return StrokePart::test;
            return bucket == 0 ? StrokePart::validation : StrokePart::train;
        case StrokeSet::uji: {
            const int number = uji_number(c.writer);
            return number <= 7 ? StrokePart::train : number == 8 ? StrokePart::validation : StrokePart::test;
        }
        default: return bucket <= 6 ? StrokePart::train : bucket == 7 ? StrokePart::validation : StrokePart::test;
    }
}

bool is_nondigit_letter(const HandwrittenCharacter& c) {
    return c.set == StrokeSet::uji && c.label.size() == 1 && std::isalpha(static_cast<unsigned char>(c.label[0])) &&
           std::strchr(kDigitLikeLetters, c.label[0]) == nullptr;
}

}  // namespace fcnet
