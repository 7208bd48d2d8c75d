// libFuzzer target: the stroke parsers on arbitrary text. The first input byte picks the parser
// (pendigits .tra or .tes, UJI, UNIPEN); for UNIPEN the rest is split at the first NUL byte into
// the segment file and the pen file, and a fixed .doc supplies the resolution headers.
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/strokes.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fcnet_fuzz::Cursor input(data, size);
    const std::uint8_t mode = input.byte();
    const std::string text(reinterpret_cast<const char*>(input.rest()), input.rest_size());
    std::vector<fcnet::HandwrittenCharacter> characters;
    try {
        switch (mode % 4) {
            case 0: characters = fcnet::parse_pendigits(text, "fuzz.tra", false); break;
            case 1: characters = fcnet::parse_pendigits(text, "fuzz.tes", true); break;
            case 2: characters = fcnet::parse_uji(text, "UJIpenchars-w01", "uji/w01"); break;
            default: {
                const std::size_t split = text.find('\0');
                const std::string segment = text.substr(0, split);
                const std::string pen = split == std::string::npos ? std::string() : text.substr(split + 1);
                static const std::vector<fcnet::IncludedFile> headers = {
                    {"fuzz.doc", ".X_POINTS_PER_INCH 145\n.Y_POINTS_PER_MM 5.7\n"}};
                int unresolved = 0, at_origin = 0;
                characters = fcnet::parse_unipen(segment, "fuzz-segments.dat", pen, "fuzz-pen.dat", "unipen/fuzz/w",
                                                 &unresolved, &at_origin, (mode & 4) ? headers : std::vector<fcnet::IncludedFile>{});
                break;
            }
        }
    } catch (const fcnet::Error&) {
    }
    // What strokes.h promises of every character read.
    for (const fcnet::HandwrittenCharacter& character : characters) {
        if (character.label.size() != 1 || character.strokes.empty() ||
            character.strokes.size() > static_cast<std::size_t>(fcnet::kMaxStrokesPerCharacter)) {
            __builtin_trap();
        }
        for (const fcnet::Polyline& stroke : character.strokes)
            if (stroke.empty()) __builtin_trap();
    }
    return 0;
}
