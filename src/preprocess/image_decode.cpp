// Image decoding through stb_image, limited to PNG, JPEG and BMP and to kMaxImageSide.
#include "preprocess/image_decode.h"

#include <climits>
#include <memory>

#include "core/error.h"
#include "io/file_system.h"
#include "preprocess/digit_image.h"

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC  // private to this file: an app linking its own stb_image does not clash
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_NO_STDIO
#define STBI_MAX_DIMENSIONS 16384
#include <stb_image.h>

static_assert(STBI_MAX_DIMENSIONS == fcnet::kMaxImageSide, "stb_image's limit is kMaxImageSide");

namespace fcnet {

namespace {

// "cannot decode a.png: stb_image says <its reason> (<what was expected>)"
std::string failure(const std::string& source, const std::string& expected) {
    const char* reason = stbi_failure_reason();
    return "cannot decode " + source + ": stb_image says \"" + (reason != nullptr ? reason : "unknown failure") +
           "\" (" + expected + ")";
}

}  // namespace

DecodedImage decode_image_memory(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    if (bytes == nullptr || size == 0) throw Error("cannot decode " + source + ": it is empty");
    if (size > static_cast<std::size_t>(INT_MAX)) throw Error("cannot decode " + source + ": it is larger than 2 GiB");
    const int length = static_cast<int>(size);

    int width = 0, height = 0, channels_in_file = 0;
    if (!stbi_info_from_memory(bytes, length, &width, &height, &channels_in_file)) {
        // stbi_info asks every decoder in turn and keeps the last complaint ("unknown image
        // type"); loading asks the decoder that recognised the file, whose reason is the useful one.
        stbi_image_free(stbi_load_from_memory(bytes, length, &width, &height, &channels_in_file, 0));
        throw Error(failure(source, "expected a PNG, JPEG or BMP image of at most " + std::to_string(kMaxImageSide) +
                                       " pixels a side"));
    }
    if (std::int64_t{width} * height > kMaxDrawingPixels) {
        throw Error("cannot decode " + source + ": it is " + std::to_string(width) + " x " + std::to_string(height) +
                    " pixels, more than the " + std::to_string(kMaxDrawingPixels) + " accepted");
    }
    // Gray stays gray and RGB stays RGB; gray + alpha is expanded to RGBA.
    const int channels = channels_in_file == 1 || channels_in_file == 3 ? channels_in_file : 4;
    const std::unique_ptr<stbi_uc, decltype(&stbi_image_free)> pixels(
        stbi_load_from_memory(bytes, length, &width, &height, &channels_in_file, channels), &stbi_image_free);
    if (!pixels) throw Error(failure(source, "the image data is corrupt or truncated"));

    DecodedImage image;
    image.width = width;
    image.height = height;
    image.channels = channels;
    image.pixels.assign(pixels.get(), pixels.get() + static_cast<std::size_t>(width) * height * channels);
    return image;
}

DecodedImage decode_image_file(const std::string& path) {
    const std::vector<std::uint8_t> bytes = read_binary_file(path, kMaxImageFileBytes);
    return decode_image_memory(bytes.data(), bytes.size(), path);
}

}  // namespace fcnet
