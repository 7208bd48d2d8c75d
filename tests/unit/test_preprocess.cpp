// Drawing -> 28x28 preprocessing on synthetic images with exact answers; decoding; the digit-or-not rule.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <zlib.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

#include "core/error.h"
#include "core/model.h"
#include "preprocess/ascii_art.h"
#include "preprocess/digit_image.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/image_decode.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

// The centre of mass is placed by a whole-pixel shift, rounded: it lands within half a pixel of 14.
constexpr double kHalfPixel = 0.5 + 1e-6;

// A gray canvas (0 = black, 255 = white) filled with `background`.
struct Canvas {
    int width, height;
    std::vector<std::uint8_t> pixels;

    Canvas(int w, int h, std::uint8_t background) : width(w), height(h), pixels(std::size_t(w) * h, background) {}
    void fill(int x0, int y0, int x1, int y1, std::uint8_t value) {  // [x0, x1) x [y0, y1)
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) pixels[std::size_t(y) * width + x] = value;
    }
    PixelBuffer view() const { return PixelBuffer{pixels.data(), width, height, 1}; }
};

// Coverage (0..255) of a ring of radius 0.3 * size and stroke 0.08 * size plus a diagonal bar,
// centred at (cx, cy), supersampled 4x4 so its edges are anti-aliased: a digit-like shape.
std::vector<std::uint8_t> ring_and_bar(int width, int height, float cx, float cy, float size) {
    std::vector<std::uint8_t> coverage(std::size_t(width) * height);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            int inside = 0;
            for (int sy = 0; sy < 4; ++sy) {
                for (int sx = 0; sx < 4; ++sx) {
                    const float u = (x + (sx + 0.5f) / 4 - cx) / size, v = (y + (sy + 0.5f) / 4 - cy) / size;
                    const bool ring = std::abs(std::hypot(u, v) - 0.3f) < 0.04f;
                    const bool bar = std::abs(u - v * 0.5f) < 0.04f && v > 0.2f && v < 0.7f;
                    inside += ring || bar;
                }
            }
            coverage[std::size_t(y) * width + x] = static_cast<std::uint8_t>(std::lround(inside * 255.0 / 16));
        }
    }
    return coverage;
}

// Gray pixels from coverage: dark ink on light (value = 255 - coverage) or light on dark.
std::vector<std::uint8_t> gray_from(const std::vector<std::uint8_t>& coverage, bool dark_on_light) {
    std::vector<std::uint8_t> gray(coverage.size());
    for (std::size_t i = 0; i < coverage.size(); ++i) gray[i] = dark_on_light ? 255 - coverage[i] : coverage[i];
    return gray;
}

struct Moments {
    double mass = 0, row = 0, column = 0;  // centre of mass in row and column index
};
Moments moments(const DigitImage& image) {
    Moments m;
    for (int y = 0; y < kDigitSide; ++y) {
        for (int x = 0; x < kDigitSide; ++x) {
            const float v = image.pixels[y * kDigitSide + x];
            m.mass += v, m.row += v * y, m.column += v * x;
        }
    }
    m.row /= m.mass, m.column /= m.mass;
    return m;
}

float max_difference(const DigitImage& a, const DigitImage& b) {
    float largest = 0;
    for (int i = 0; i < kDigitPixels; ++i) largest = std::max(largest, std::abs(a.pixels[i] - b.pixels[i]));
    return largest;
}

int rows_with_ink(const DigitImage& image) {
    int rows = 0;
    for (int y = 0; y < kDigitSide; ++y) {
        float row = 0;
        for (int x = 0; x < kDigitSide; ++x) row += image.pixels[y * kDigitSide + x];
        rows += row > 0;
    }
    return rows;
}

void append_png_chunk(std::vector<std::uint8_t>& png, const char* type, const std::vector<std::uint8_t>& data) {
    const auto put32 = [&](std::uint32_t v) {
        for (int shift = 24; shift >= 0; shift -= 8) png.push_back(static_cast<std::uint8_t>(v >> shift));
    };
    put32(static_cast<std::uint32_t>(data.size()));
    std::vector<std::uint8_t> typed(type, type + 4);
    typed.insert(typed.end(), data.begin(), data.end());
    png.insert(png.end(), typed.begin(), typed.end());
    put32(static_cast<std::uint32_t>(crc32(0, typed.data(), static_cast<uInt>(typed.size()))));
}

std::vector<std::uint8_t> png_bytes(int width, int height, int channels, const std::uint8_t* pixels) {
    std::vector<std::uint8_t> png;
    stbi_write_png_to_func(
        [](void* context, void* data, int size) {
            auto* out = static_cast<std::vector<std::uint8_t>*>(context);
            out->insert(out->end(), static_cast<std::uint8_t*>(data), static_cast<std::uint8_t*>(data) + size);
        },
        &png, width, height, channels, pixels, width * channels);
    return png;
}

// Options that keep the stroke width as drawn: the geometry tests draw filled blocks, which
// width normalisation would redraw from their skeleton (test_stroke_width covers that step).
PreprocessOptions ink_as_drawn() {
    PreprocessOptions options;
    options.stroke_width = 0;
    return options;
}

}  // namespace

// ---- geometry: crop, scale to 20 pixels, centre of mass ------------------------------------

TEST_CASE("an off-centre rectangle becomes a 20-pixel-tall block centred by mass", "[preprocess]") {
    Canvas canvas(280, 280, 255);
    canvas.fill(30, 100, 90, 250, 0);  // 60 wide x 150 tall, near the bottom left
    const DigitImage image = preprocess_drawing(canvas.view(), ink_as_drawn());
    REQUIRE_FALSE(image.empty);

    // 150 -> 20 pixels is a factor of 2/15, so 60 -> exactly 8: a 20 x 8 block of full ink.
    int full = 0, blank = 0;
    for (float v : image.pixels) {
        full += v == Approx(1.0f).margin(1e-5);
        blank += v == 0.0f;
    }
    CHECK(full == 20 * 8);
    CHECK(blank == kDigitPixels - 20 * 8);
    CHECK(rows_with_ink(image) == 20);
    const Moments m = moments(image);
    CHECK(m.row == Approx(14).margin(kHalfPixel));
    CHECK(m.column == Approx(14).margin(kHalfPixel));
}

TEST_CASE("the aspect ratio is kept when the shorter side is a fraction of a pixel", "[preprocess]") {
    Canvas canvas(400, 300, 255);
    canvas.fill(250, 20, 350, 57, 0);  // 100 wide x 37 tall: 20 x 7.4 pixels after scaling
    const DigitImage image = preprocess_drawing(canvas.view(), ink_as_drawn());
    REQUIRE_FALSE(image.empty);
    for (int x = 0; x < kDigitSide; ++x) {
        float column = 0;
        for (int y = 0; y < kDigitSide; ++y) column += image.pixels[y * kDigitSide + x];
        INFO("column " << x);
        CHECK((column == 0 || column == Approx(7.4).margin(1e-4)));
    }
    CHECK(rows_with_ink(image) == 8);  // 7 full rows and one 40% row
    const Moments m = moments(image);
    CHECK(m.row == Approx(14).margin(kHalfPixel));
    CHECK(m.column == Approx(14).margin(kHalfPixel));
}

TEST_CASE("the strongest pixel of the result is full ink, as in MNIST", "[preprocess]") {
    Canvas canvas(280, 280, 255);
    canvas.fill(100, 40, 103, 240, 128);  // a thin gray vertical line, 3 x 200
    const DigitImage image = preprocess_drawing(canvas.view());
    REQUIRE_FALSE(image.empty);
    CHECK(*std::max_element(image.pixels.begin(), image.pixels.end()) == 1.0f);
    CHECK(rows_with_ink(image) == 20);
}

TEST_CASE("a large photo is reduced first and gives the same block", "[preprocess]") {
    Canvas canvas(3000, 2000, 255);
    canvas.fill(2000, 300, 2600, 1800, 0);  // 600 x 1500: a 20 x 8 block again
    const DigitImage image = preprocess_drawing(canvas.view(), ink_as_drawn());
    REQUIRE_FALSE(image.empty);
    int full = 0;
    for (float v : image.pixels) full += v == Approx(1.0f).margin(1e-5);
    CHECK(full == 20 * 8);
}

// ---- polarity, colour and transparency --------------------------------------------------

TEST_CASE("dark-on-light and light-on-dark drawings give the same image", "[preprocess]") {
    const std::vector<std::uint8_t> coverage = ring_and_bar(280, 280, 120, 150, 200);
    const std::vector<std::uint8_t> dark = gray_from(coverage, true), light = gray_from(coverage, false);
    const DigitImage from_dark = preprocess_drawing(PixelBuffer{dark.data(), 280, 280, 1});
    const DigitImage from_light = preprocess_drawing(PixelBuffer{light.data(), 280, 280, 1});
    REQUIRE_FALSE(from_dark.empty);
    CHECK(max_difference(from_dark, from_light) < 1e-5f);

    PreprocessOptions told;
    told.polarity = Polarity::dark_on_light;
    CHECK(max_difference(from_dark, preprocess_drawing(PixelBuffer{dark.data(), 280, 280, 1}, told)) < 1e-5f);
    told.polarity = Polarity::light_on_dark;
    CHECK(max_difference(from_dark, preprocess_drawing(PixelBuffer{light.data(), 280, 280, 1}, told)) < 1e-5f);
}

TEST_CASE("anti-aliased grey levels are kept, not thresholded", "[preprocess]") {
    const std::vector<std::uint8_t> dark = gray_from(ring_and_bar(280, 280, 140, 140, 250), true);
    const DigitImage image = preprocess_drawing(PixelBuffer{dark.data(), 280, 280, 1});
    int grey = 0;
    for (float v : image.pixels) grey += v > 0.05f && v < 0.95f;
    CHECK(grey > 40);
}

TEST_CASE("black strokes on a transparent RGBA canvas equal the same strokes on white", "[preprocess]") {
    const std::vector<std::uint8_t> coverage = ring_and_bar(300, 200, 170, 90, 180);
    std::vector<std::uint8_t> black_on_clear(coverage.size() * 4), white_on_clear(coverage.size() * 4);
    std::vector<std::uint8_t> rgb(coverage.size() * 3);
    for (std::size_t i = 0; i < coverage.size(); ++i) {
        black_on_clear[4 * i + 3] = coverage[i];  // (0, 0, 0, coverage)
        for (int c = 0; c < 3; ++c) white_on_clear[4 * i + c] = 255;
        white_on_clear[4 * i + 3] = coverage[i];  // (255, 255, 255, coverage)
        for (int c = 0; c < 3; ++c) rgb[3 * i + c] = 255 - coverage[i];
    }
    const std::vector<std::uint8_t> gray = gray_from(coverage, true);
    const DigitImage expected = preprocess_drawing(PixelBuffer{gray.data(), 300, 200, 1});
    REQUIRE_FALSE(expected.empty);
    CHECK(max_difference(expected, preprocess_drawing(PixelBuffer{black_on_clear.data(), 300, 200, 4})) < 1e-5f);
    CHECK(max_difference(expected, preprocess_drawing(PixelBuffer{white_on_clear.data(), 300, 200, 4})) < 1e-5f);
    CHECK(max_difference(expected, preprocess_drawing(PixelBuffer{rgb.data(), 300, 200, 3})) < 1e-5f);
}

TEST_CASE("a low-contrast stroke is found whichever side the ink is on", "[preprocess]") {
    Canvas strong(280, 280, 255), dark_grey(280, 280, 170), light_grey(280, 280, 150);
    strong.fill(60, 50, 140, 230, 0);
    dark_grey.fill(60, 50, 140, 230, 150);   // 150 on 170
    light_grey.fill(60, 50, 140, 230, 170);  // 170 on 150
    const DigitImage expected = preprocess_drawing(strong.view());
    CHECK(max_difference(expected, preprocess_drawing(dark_grey.view())) < 1e-5f);
    CHECK(max_difference(expected, preprocess_drawing(light_grey.view())) < 1e-5f);
}

TEST_CASE("background noise in a photo is ignored", "[preprocess]") {
    const std::vector<std::uint8_t> coverage = ring_and_bar(280, 280, 140, 140, 220);
    std::vector<std::uint8_t> clean(coverage.size()), noisy(coverage.size());
    std::mt19937 random(4);
    std::normal_distribution<float> noise(0.0f, 4.0f);  // 4 gray levels of sensor noise
    for (std::size_t i = 0; i < coverage.size(); ++i) {
        const float value = 200 - 120 * coverage[i] / 255.0f;  // grey ink on off-white paper
        clean[i] = static_cast<std::uint8_t>(std::lround(value));
        noisy[i] = static_cast<std::uint8_t>(std::clamp(std::lround(value + noise(random)), 0L, 255L));
    }
    const DigitImage from_clean = preprocess_drawing(PixelBuffer{clean.data(), 280, 280, 1});
    const DigitImage from_noisy = preprocess_drawing(PixelBuffer{noisy.data(), 280, 280, 1});
    REQUIRE_FALSE(from_noisy.empty);
    double difference = 0;
    for (int i = 0; i < kDigitPixels; ++i) difference += std::abs(from_clean.pixels[i] - from_noisy.pixels[i]);
    CHECK(difference / kDigitPixels < 0.02);
}

// ---- specks and empty canvases ------------------------------------------------------------

TEST_CASE("a small speck away from the drawing is removed", "[preprocess]") {
    Canvas clean(280, 280, 255), specked(280, 280, 255);
    clean.fill(100, 60, 130, 220, 0);
    specked.fill(100, 60, 130, 220, 0);
    specked.fill(250, 250, 255, 255, 0);  // 25 pixels against 4,800: 0.5% of the ink
    CHECK(max_difference(preprocess_drawing(clean.view()), preprocess_drawing(specked.view())) < 1e-5f);
}

TEST_CASE("blank canvases, single pixels and tiny specks are empty", "[preprocess]") {
    Canvas blank(280, 280, 255);
    const DigitImage nothing = preprocess_drawing(blank.view());
    CHECK(nothing.empty);
    CHECK(*std::max_element(nothing.pixels.begin(), nothing.pixels.end()) == 0.0f);

    Canvas pixel(280, 280, 255);
    pixel.fill(140, 140, 141, 141, 0);
    CHECK(preprocess_drawing(pixel.view()).empty);

    // On a 280-pixel canvas a drawing must span at least 1.5% = 4.2 pixels.
    Canvas speck(280, 280, 255), dash(280, 280, 255);
    speck.fill(100, 100, 104, 104, 0);
    dash.fill(100, 100, 105, 102, 0);
    CHECK(preprocess_drawing(speck.view()).empty);
    CHECK_FALSE(preprocess_drawing(dash.view()).empty);

    Canvas faint(280, 280, 255);
    faint.fill(50, 50, 200, 200, 250);  // 5 levels: below min_contrast (about 8)
    CHECK(preprocess_drawing(faint.view()).empty);

    Canvas tiny(28, 28, 0);
    tiny.fill(10, 10, 11, 11, 255);  // a single pixel on a small canvas is still a speck
    CHECK(preprocess_drawing(tiny.view()).empty);
}

TEST_CASE("sensor noise alone is empty", "[preprocess]") {
    std::vector<std::uint8_t> noise(280 * 280);
    std::mt19937 random(9);
    std::normal_distribution<float> gaussian(200.0f, 3.0f);
    for (auto& v : noise) v = static_cast<std::uint8_t>(std::lround(gaussian(random)));
    CHECK(preprocess_drawing(PixelBuffer{noise.data(), 280, 280, 1}).empty);
}

// ---- float input and invalid input ------------------------------------------------------

TEST_CASE("float gray input gives the same image as bytes", "[preprocess]") {
    const std::vector<std::uint8_t> bytes = gray_from(ring_and_bar(200, 200, 100, 90, 150), true);
    std::vector<float> floats(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) floats[i] = bytes[i] / 255.0f;
    CHECK(max_difference(preprocess_drawing(PixelBuffer{bytes.data(), 200, 200, 1}),
                         preprocess_drawing(floats.data(), 200, 200)) < 1e-5f);
}

TEST_CASE("invalid images are refused with a clear fcnet::Error", "[preprocess]") {
    const std::vector<std::uint8_t> pixels(16 * 16 * 4, 255);
    CHECK_THAT(error_message([&] { preprocess_drawing(PixelBuffer{nullptr, 16, 16, 1}); }),
               Catch::Contains("null"));
    CHECK_THAT(error_message([&] { preprocess_drawing(PixelBuffer{pixels.data(), 0, 16, 1}); }),
               Catch::Contains("0 x 16") && Catch::Contains("positive"));
    CHECK_THAT(error_message([&] { preprocess_drawing(PixelBuffer{pixels.data(), 16, -3, 1}); }),
               Catch::Contains("16 x -3"));
    CHECK_THAT(error_message([&] { preprocess_drawing(PixelBuffer{pixels.data(), 16, 16, 2}); }),
               Catch::Contains("2 channels") && Catch::Contains("1 (gray), 3 (RGB) or 4 (RGBA)"));
    // Refused from the sizes alone: the 16x16 buffer is never read past its end.
    CHECK_THAT(error_message([&] { preprocess_drawing(PixelBuffer{pixels.data(), 20000, 10000, 1}); }),
               Catch::Contains("200000000 pixels") && Catch::Contains("100000000"));
    PreprocessOptions odd;
    odd.edge_level = std::numeric_limits<float>::quiet_NaN();
    CHECK_THAT(error_message([&] { preprocess_drawing(PixelBuffer{pixels.data(), 16, 16, 1}, odd); }),
               Catch::Contains("edge_level"));
}

TEST_CASE("float input with NaN, infinity or values outside [0, 1] names the pixel", "[preprocess]") {
    std::vector<float> gray(10 * 10, 1.0f);
    gray[3 * 10 + 7] = std::numeric_limits<float>::quiet_NaN();
    CHECK_THAT(error_message([&] { preprocess_drawing(gray.data(), 10, 10); }),
               Catch::Contains("pixel (7, 3)") && Catch::Contains("nan"));
    gray[3 * 10 + 7] = std::numeric_limits<float>::infinity();
    CHECK_THAT(error_message([&] { preprocess_drawing(gray.data(), 10, 10); }), Catch::Contains("inf"));
    gray[3 * 10 + 7] = 1.5f;
    CHECK_THAT(error_message([&] { preprocess_drawing(gray.data(), 10, 10); }), Catch::Contains("[0, 1]"));
    CHECK_THAT(error_message([&] { preprocess_drawing(static_cast<const float*>(nullptr), 10, 10); }),
               Catch::Contains("null"));
}

// ---- ASCII art ----------------------------------------------------------------------------

TEST_CASE("ascii art is 28 lines of 56 characters from blank to full ink", "[preprocess]") {
    DigitImage image;
    image.pixels[0] = 1.0f;
    image.pixels[1] = 0.5f;
    const std::string art = ascii_art(image);
    REQUIRE(art.size() == 28 * 57);
    CHECK(art.substr(0, 6) == "@@++  ");  // 0.5 is level 4.5 of 9, rounded up to '+'
    CHECK(std::count(art.begin(), art.end(), '\n') == 28);
    CHECK(art.substr(57, 56) == std::string(56, ' '));
}

// ---- decoding ---------------------------------------------------------------------------

TEST_CASE("PNG bytes decode to the pixels that were written", "[preprocess][decode]") {
    std::vector<std::uint8_t> gray(7 * 5), gray_alpha(7 * 5 * 2);
    for (std::size_t i = 0; i < gray.size(); ++i) {
        gray[i] = static_cast<std::uint8_t>(i * 7);
        gray_alpha[2 * i] = gray[i];
        gray_alpha[2 * i + 1] = static_cast<std::uint8_t>(255 - i);
    }
    const std::vector<std::uint8_t> png = png_bytes(7, 5, 1, gray.data());
    const DecodedImage decoded = decode_image_memory(png.data(), png.size(), "gray.png");
    CHECK(decoded.width == 7);
    CHECK(decoded.height == 5);
    CHECK(decoded.channels == 1);
    CHECK(decoded.pixels == gray);

    const std::vector<std::uint8_t> png_alpha = png_bytes(7, 5, 2, gray_alpha.data());
    const DecodedImage rgba = decode_image_memory(png_alpha.data(), png_alpha.size(), "alpha.png");
    REQUIRE(rgba.channels == 4);  // gray + alpha arrives as RGBA
    CHECK(rgba.pixels[4 * 6 + 0] == gray[6]);
    CHECK(rgba.pixels[4 * 6 + 2] == gray[6]);
    CHECK(rgba.pixels[4 * 6 + 3] == 255 - 6);
}

TEST_CASE("undecodable images name their source and stb_image's reason", "[preprocess][decode]") {
    const std::string junk = "this is not an image at all";
    CHECK_THAT(error_message([&] {
                   decode_image_memory(reinterpret_cast<const std::uint8_t*>(junk.data()), junk.size(), "junk.png");
               }),
               Catch::Contains("cannot decode junk.png") && Catch::Contains("stb_image says"));

    std::vector<std::uint8_t> png = png_bytes(8, 8, 1, std::vector<std::uint8_t>(64, 9).data());
    png.resize(png.size() / 2);
    CHECK_THAT(error_message([&] { decode_image_memory(png.data(), png.size(), "half.png"); }),
               Catch::Contains("half.png"));

    CHECK_THAT(error_message([&] { decode_image_memory(nullptr, 0, "nothing.png"); }),
               Catch::Contains("nothing.png") && Catch::Contains("empty"));

    const std::string dir = make_temp_dir();
    CHECK_THAT(error_message([&] { decode_image_file(dir + "/missing.png"); }), Catch::Contains("missing.png"));
}

TEST_CASE("a PNG header claiming 50,000 x 50,000 pixels is refused before allocating", "[preprocess][decode]") {
    std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    const std::vector<std::uint8_t> header = {0, 0, 0xc3, 0x50, 0, 0, 0xc3, 0x50, 8, 0, 0, 0, 0};  // 50000 x 50000 gray
    append_png_chunk(png, "IHDR", header);
    append_png_chunk(png, "IDAT", {0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    append_png_chunk(png, "IEND", {});
    CHECK_THAT(error_message([&] { decode_image_memory(png.data(), png.size(), "huge.png"); }),
               Catch::Contains("huge.png") && Catch::Contains("too large") && Catch::Contains("16384"));
}

TEST_CASE("a JPEG Huffman table with more than 256 codes is refused before stb_image reads it",
          "[preprocess][decode]") {
    // SOI, then DHT (length 0x01a2): table class 0 id 1, 16 counts summing to 261 codes.
    std::vector<std::uint8_t> jpeg = {0xff, 0xd8, 0xff, 0xc4, 0x01, 0xa2, 0x01};
    const std::vector<std::uint8_t> counts = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0xf9};
    jpeg.insert(jpeg.end(), counts.begin(), counts.end());
    jpeg.insert(jpeg.end(), 0x1a2 - 2 - 17, 0x11);
    jpeg.insert(jpeg.end(), {0xff, 0xd9});
    CHECK_THAT(error_message([&] { decode_image_memory(jpeg.data(), jpeg.size(), "tables.jpg"); }),
               Catch::Contains("tables.jpg") && Catch::Contains("Huffman table declares 261 codes"));

    std::vector<std::uint8_t> stuffed = {0xff, 0xff, 0xd8, 0xff, 0xff, 0xc4, 0x01, 0xa2, 0x01};  // 0xff fill bytes
    stuffed.reserve(stuffed.size() + jpeg.size());  // (growing inside insert trips GCC 12's -Warray-bounds)
    stuffed.insert(stuffed.end(), jpeg.begin() + 7, jpeg.end());
    CHECK_THAT(error_message([&] { decode_image_memory(stuffed.data(), stuffed.size(), "fill.jpg"); }),
               Catch::Contains("fill.jpg") && Catch::Contains("Huffman table"));

    // Every DHT marker in the file is checked, even one that a walk along the segment lengths
    // skips (here an APP0 length that ends inside the marker): stb_image resynchronises on
    // markers after corrupt data, so the walk is not a safe guide (fuzz_image found such a file).
    std::vector<std::uint8_t> hidden = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x06, 'J', 'F', 'I'};
    hidden.reserve(hidden.size() + jpeg.size());
    hidden.insert(hidden.end(), jpeg.begin() + 2, jpeg.end());
    CHECK_THAT(error_message([&] { decode_image_memory(hidden.data(), hidden.size(), "hidden.jpg"); }),
               Catch::Contains("hidden.jpg") && Catch::Contains("Huffman table declares 261 codes"));
}

TEST_CASE("a BMP shorter than the pixel rows its header promises is refused as truncated", "[preprocess][decode]") {
    std::vector<std::uint8_t> bmp;
    const std::vector<std::uint8_t> gray(5 * 3, 200);
    stbi_write_bmp_to_func([](void* out, void* data, int size) {
        auto* bytes = static_cast<std::uint8_t*>(data);
        static_cast<std::vector<std::uint8_t>*>(out)->insert(static_cast<std::vector<std::uint8_t>*>(out)->end(), bytes, bytes + size);
    }, &bmp, 5, 3, 1, gray.data());
    CHECK(decode_image_memory(bmp.data(), bmp.size(), "whole.bmp").width == 5);
    bmp.resize(bmp.size() - 2);  // the last row's padding byte and one of its pixel bytes
    CHECK_THAT(error_message([&] { decode_image_memory(bmp.data(), bmp.size(), "short.bmp"); }),
               Catch::Contains("short.bmp") && Catch::Contains("truncated BMP") && Catch::Contains("5 x 3 pixels"));

    // 54 bytes of headers claiming 16384 x 6100 pixels of 24 bits: refused before decoding.
    bmp.resize(54);
    const auto put32 = [&](std::size_t at, std::uint32_t value) {
        for (int i = 0; i < 4; ++i) bmp[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
    };
    put32(18, 16384);
    put32(22, 6100);
    CHECK_THAT(error_message([&] { decode_image_memory(bmp.data(), bmp.size(), "bomb.bmp"); }),
               Catch::Contains("bomb.bmp") && Catch::Contains("16384 x 6100 pixels") && Catch::Contains("holds 54"));
    put32(30, 0xff7effff);  // a negative compression code, which stb_image reads as uncompressed
    CHECK_THAT(error_message([&] { decode_image_memory(bmp.data(), bmp.size(), "negative.bmp"); }),
               Catch::Contains("negative.bmp") && Catch::Contains("truncated BMP"));
}

TEST_CASE("a PNG chunk longer than the file is refused before stb_image allocates it", "[preprocess][decode]") {
    std::vector<std::uint8_t> png = png_bytes(8, 8, 1, std::vector<std::uint8_t>(64, 9).data());
    CHECK(decode_image_memory(png.data(), png.size(), "whole.png").width == 8);
    const std::size_t idat = 33;  // signature (8) + IHDR chunk (12 + 13)
    REQUIRE(std::string(png.begin() + idat + 4, png.begin() + idat + 8) == "IDAT");
    png[idat] = 0x40;  // its length + 1 GiB
    CHECK_THAT(error_message([&] { decode_image_memory(png.data(), png.size(), "claims.png"); }),
               Catch::Contains("claims.png") && Catch::Contains("truncated PNG: chunk 'IDAT' at offset 33 declares 10737"));
}

// ---- classification glue ----------------------------------------------------------------

TEST_CASE("the digit-or-not rule reads reject_confidence from the model", "[preprocess][predict]") {
    Model model;
    const float sure[10] = {0.01f, 0.91f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f, 0.01f};
    const float unsure[10] = {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
    CHECK(accepts_as_digit(model, unsure, 10));  // no threshold: everything is a digit
    model.metadata["reject_confidence"] = "0.5";
    CHECK(accepts_as_digit(model, sure, 10));
    CHECK_FALSE(accepts_as_digit(model, unsure, 10));
    model.metadata["reject_confidence"] = "high";
    CHECK_THAT(error_message([&] { accepts_as_digit(model, sure, 10); }),
               Catch::Contains("reject_confidence") && Catch::Contains("high"));
}

TEST_CASE("classification needs a 784-input, 10-class model and reports empty drawings", "[preprocess][predict]") {
    Canvas blank(100, 100, 255), block(100, 100, 255);
    block.fill(40, 20, 60, 80, 0);
    Model wrong;
    wrong.network = Network({100, 10}, Activation::relu, 1);
    CHECK_THAT(error_message([&] { classify_drawing(wrong, block.view()); }),
               Catch::Contains("100 inputs") && Catch::Contains("784"));

    Model model;
    model.network = Network({784, 16, 10}, Activation::relu, 1);
    const DigitPrediction empty = classify_drawing(model, blank.view());
    CHECK(empty.empty);
    CHECK_FALSE(empty.is_digit);
    CHECK(empty.digit == -1);

    const DigitPrediction drawn = classify_drawing(model, block.view());
    CHECK_FALSE(drawn.empty);
    CHECK(drawn.is_digit);
    float total = 0;
    for (float p : drawn.probabilities) total += p;
    CHECK(total == Approx(1.0f).epsilon(1e-4));
    CHECK(drawn.confidence == *std::max_element(drawn.probabilities.begin(), drawn.probabilities.end()));
    CHECK(drawn.probabilities[drawn.digit] == drawn.confidence);
}

TEST_CASE("an 11-class model whose last class is \"not a digit\" gives the digits' share of its softmax",
          "[preprocess][predict]") {
    Canvas block(100, 100, 255);
    block.fill(40, 20, 60, 80, 0);
    Model model;
    model.network = Network({784, 11}, Activation::relu, 1);
    model.network.layers()[0].weights.setZero();  // logits = bias: digit 3 at 2, "not a digit" at 3, others 0
    model.network.layers()[0].bias.setZero();
    model.network.layers()[0].bias[3] = 2.0f;
    model.network.layers()[0].bias[10] = 3.0f;
    CHECK_THAT(error_message([&] { classify_drawing(model, block.view()); }),
               Catch::Contains("11 classes") && Catch::Contains("\"10\"") && Catch::Contains("not a digit"));
    model.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", kNotADigitClass};
    CHECK(has_rejection_class(model));

    const double denominator = 9 + std::exp(2.0) + std::exp(3.0);
    const DigitPrediction accepted = classify_drawing(model, block.view());
    CHECK(accepted.digit == 3);
    CHECK(accepted.confidence == Approx(std::exp(2.0) / denominator));  // 0.2025
    CHECK(accepted.is_digit);  // no reject_confidence: everything is a digit, as for 10 classes
    float total = 0;
    for (float p : accepted.probabilities) total += p;
    CHECK(total == Approx(1 - std::exp(3.0) / denominator).epsilon(1e-4));  // 1 - p(not a digit)

    model.metadata["reject_confidence"] = "0.2";
    CHECK(classify_drawing(model, block.view()).is_digit);
    model.metadata["reject_confidence"] = "0.25";
    CHECK_FALSE(classify_drawing(model, block.view()).is_digit);

    // digit_score ignores the rejection entry, however large, and takes 10 or all 11 entries.
    const float eleven[11] = {0.01f, 0.02f, 0.03f, 0.04f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.9f};
    CHECK(digit_score(model, eleven, 11) == 0.04f);
    CHECK(digit_score(model, eleven, 10) == 0.04f);
    CHECK_THAT(error_message([&] { digit_score(model, eleven, 12); }), Catch::Contains("12 probabilities"));
}

TEST_CASE("DigitClassifier reads drawings as classify_digit_image does, calibrated and raw from one pass",
          "[preprocess][predict]") {
    Model model;
    model.network = Network({784, 32, 16, 11}, Activation::relu, 5);
    model.network.normalization = {0.13f, 0.31f};
    model.network.temperature = 2.5f;
    model.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", kNotADigitClass};
    model.metadata["reject_confidence"] = "0.15";
    Model raw_model = model;
    raw_model.network.temperature = 1.0f;
    DigitClassifier classifier(model);

    for (const float size : {60.0f, 90.0f, 140.0f}) {
        const std::vector<std::uint8_t> gray = gray_from(ring_and_bar(200, 160, 90, 80, size), true);
        const DigitImage image = preprocess_drawing({gray.data(), 200, 160, 1});
        REQUIRE_FALSE(image.empty);
        DigitPrediction raw;
        const DigitPrediction calibrated = classifier.classify(image, &raw);
        const DigitPrediction expected = classify_digit_image(model, image);
        const DigitPrediction expected_raw = classify_digit_image(raw_model, image);
        CHECK(calibrated.digit == expected.digit);
        CHECK(calibrated.is_digit == expected.is_digit);
        CHECK(raw.is_digit == calibrated.is_digit);  // decided on the calibrated reading
        for (int i = 0; i < kDigitClasses; ++i) {
            CHECK(calibrated.probabilities[i] == Approx(expected.probabilities[i]).margin(1e-5));
            CHECK(raw.probabilities[i] == Approx(expected_raw.probabilities[i]).margin(1e-5));
        }
        CHECK(classifier.classify({gray.data(), 200, 160, 1}).confidence == calibrated.confidence);
    }
    DigitPrediction raw;
    raw.digit = 4;
    CHECK(classifier.classify(DigitImage{}, &raw).empty);
    CHECK(raw.empty);
    CHECK(raw.digit == -1);

    Model wrong;
    wrong.network = Network({100, 10}, Activation::relu, 1);
    CHECK_THAT(error_message([&] { DigitClassifier{wrong}; }), Catch::Contains("100 inputs"));
}

TEST_CASE("DigitClassifier builds its Predictor at the first drawing or at prepare(), reading the same either way",
          "[preprocess][predict]") {
    Model model;
    model.network = Network({784, 32, 16, 10}, Activation::relu, 9);
    model.network.normalization = {0.13f, 0.31f};
    DigitClassifier lazy(model), prepared(model);
    CHECK_FALSE(lazy.prepared());
    CHECK(lazy.classify(DigitImage{}).empty);
    CHECK_FALSE(lazy.prepared());  // an empty canvas needs no network
    prepared.prepare();
    CHECK(prepared.prepared());

    const std::vector<std::uint8_t> gray = gray_from(ring_and_bar(200, 160, 90, 80, 90.0f), true);
    const DigitImage image = preprocess_drawing({gray.data(), 200, 160, 1});
    REQUIRE_FALSE(image.empty);
    CHECK(lazy.classify(image).probabilities == prepared.classify(image).probabilities);  // bit for bit
    CHECK(lazy.prepared());

    const Model taken = std::move(lazy).take_model();
    CHECK(taken.network.layers().front().weights == model.network.layers().front().weights);
}
