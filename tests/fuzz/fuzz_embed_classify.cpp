// libFuzzer target: the embed module's C API compiled natively. Classifies and preprocesses
// arbitrary pixel buffers with the shipped model (u16 width, u16 height, channels, polarity,
// then the pixels; a length that disagrees is passed as is), and with mode bit 0x80 hands the
// rest to fcnet_embed_create as a model. Every call must return nullptr or a message.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "embed/embed_api.h"
#include "fuzz_support.h"
#include "io/file_system.h"

namespace {

fcnet_classifier* shipped_classifier() {
    static fcnet_classifier* classifier = [] {
        const std::vector<std::uint8_t> bytes = fcnet::read_binary_file(FCNET_FUZZ_MODEL, 64u << 20);
        fcnet_classifier* created = nullptr;
        if (const char* error = fcnet_embed_create(bytes.data(), bytes.size(), FCNET_FUZZ_MODEL, &created)) {
            std::fprintf(stderr, "%s\n", error);
            std::abort();
        }
        return created;
    }();
    return classifier;
}

void require_message(const char* error) {
    if (error != nullptr && *error == '\0') std::abort();  // a failure must say what went wrong
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fcnet_classifier* classifier = shipped_classifier();
    fcnet_fuzz::Cursor input(data, size);
    const std::uint8_t mode = input.byte();
    if (mode & 0x80) {
        fcnet_classifier* created = nullptr;
        require_message(fcnet_embed_create(input.rest(), input.rest_size(), "fuzz model", &created));
        const char* json = nullptr;
        if (created != nullptr) require_message(fcnet_embed_info(created, &json));
        fcnet_embed_dispose(created);
        return 0;
    }
    const int width = static_cast<std::int16_t>(input.u16()), height = static_cast<std::int16_t>(input.u16());
    const int channels = input.byte() % 6, polarity = input.byte() % 4;
    std::size_t length = input.rest_size();
    if (mode & 1) length = std::size_t(std::max(width, 0)) * std::size_t(std::max(height, 0)) * std::size_t(channels);
    if (length > input.rest_size()) return 0;  // the caller's contract: `length` bytes are readable
    float result[FCNET_EMBED_RESULT_FLOATS];
    float pixels[FCNET_EMBED_PIXELS];
    require_message(fcnet_embed_classify(classifier, input.rest(), length, width, height, channels, polarity, result));
    require_message(fcnet_embed_preprocess(classifier, input.rest(), length, width, height, channels, polarity, pixels));
    return 0;
}
