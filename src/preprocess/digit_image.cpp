// The drawing -> 28x28 pipeline declared in digit_image.h. Sections:
//   1. Checking the input and converting it to gray
//   2. Ink strength: background, polarity, noise floor, contrast
//   3. Ink blobs: removing specks, the bounding box
//   4. Scaling to 20 pixels and centring by mass in 28x28
//   5. The entry points
#include "preprocess/digit_image.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/tensor.h"

namespace fcnet {
namespace {

constexpr std::int64_t kWorkingPixels = 4'000'000;  // larger inputs are box-reduced to at most this

struct GrayImage {
    int width = 0, height = 0;
    std::vector<float> values;  // row-major; gray (0 = black, 1 = white), later ink strength
};

// ============================================================================================
// 1. Checking the input and converting it to gray
// ============================================================================================

std::string size_text(std::int64_t width, std::int64_t height) {
    return std::to_string(width) + " x " + std::to_string(height);
}

void check_image_size(const void* data, int width, int height) {
    if (data == nullptr) throw Error("preprocess_drawing: the image data pointer is null");
    if (width <= 0 || height <= 0) {
        throw Error("preprocess_drawing: the image is " + size_text(width, height) +
                    " pixels; width and height must be positive");
    }
    if (std::int64_t{width} * height > kMaxDrawingPixels) {
        throw Error("preprocess_drawing: the image is " + size_text(width, height) + " = " +
                    std::to_string(std::int64_t{width} * height) + " pixels, more than the " +
                    std::to_string(kMaxDrawingPixels) + " accepted");
    }
}

void check_options(const PreprocessOptions& options) {
    const auto in_range = [](float value, float low, float high) { return value >= low && value <= high; };
    const auto refuse = [](const char* name, float value, const char* expected) {
        throw Error(std::string("preprocess_drawing: option ") + name + " is " + std::to_string(value) +
                    ", expected " + expected);
    };
    if (!in_range(options.min_contrast, 0.0f, 1.0f)) refuse("min_contrast", options.min_contrast, "[0, 1]");
    if (!in_range(options.edge_level, 0.0f, 1.0f)) refuse("edge_level", options.edge_level, "[0, 1]");
    if (!in_range(options.speck_fraction, 0.0f, 1.0f)) refuse("speck_fraction", options.speck_fraction, "[0, 1]");
    if (!in_range(options.min_extent_fraction, 0.0f, 1.0f)) {
        refuse("min_extent_fraction", options.min_extent_fraction, "[0, 1]");
    }
}

int ceil_div(int value, int divisor) { return (value + divisor - 1) / divisor; }

// The smallest whole factor that brings the image down to at most kWorkingPixels pixels.
int reduction_factor(int width, int height) {
    int factor = 1;
    while (std::int64_t{ceil_div(width, factor)} * ceil_div(height, factor) > kWorkingPixels) ++factor;
    return factor;
}

// The gray image of gray_at(x, y) (a float in [0, 1]), each factor x factor block of a large
// input averaged into one pixel (blocks at the right and bottom edges may be smaller).
template <typename GrayAt>
GrayImage reduce_to_gray(int width, int height, GrayAt gray_at) {
    const int factor = reduction_factor(width, height);
    GrayImage image;
    image.width = ceil_div(width, factor);
    image.height = ceil_div(height, factor);
    image.values.assign(static_cast<std::size_t>(image.width) * image.height, 0.0f);
    std::vector<double> sums(image.width);
    for (int row = 0; row < image.height; ++row) {
        std::fill(sums.begin(), sums.end(), 0.0);
        const int y_begin = row * factor, y_end = std::min(height, y_begin + factor);
        for (int y = y_begin; y < y_end; ++y) {
            for (int x = 0; x < width; ++x) sums[x / factor] += gray_at(x, y);
        }
        for (int column = 0; column < image.width; ++column) {
            const int block_width = std::min(width, (column + 1) * factor) - column * factor;
            image.values[static_cast<std::size_t>(row) * image.width + column] =
                static_cast<float>(sums[column] / (block_width * (y_end - y_begin)));
        }
    }
    return image;
}

// Rec. 601 luma of an RGB pixel times 1000, in whole numbers so that R = G = B = v gives
// exactly 1000 v: a gray image stored as RGB converts to the very same floats as stored gray.
int luma_times_1000(const std::uint8_t* rgb) { return 299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2]; }

// The gray level (0 or 255) that transparent RGBA pixels show: white when the visible pixels
// are mostly dark (the alpha-weighted median luma is below mid-gray), as with dark strokes on a
// transparent canvas, and black when they are mostly light.
int transparent_backdrop(const PixelBuffer& input) {
    std::array<double, 256> alpha_by_luma{};
    bool any_transparency = false;
    const std::size_t pixels = static_cast<std::size_t>(input.width) * input.height;
    for (std::size_t i = 0; i < pixels; ++i) {
        const std::uint8_t* pixel = input.data + 4 * i;
        alpha_by_luma[luma_times_1000(pixel) / 1000] += pixel[3];
        any_transparency = any_transparency || pixel[3] < 255;
    }
    if (!any_transparency) return 255;  // no pixel shows the backdrop
    double total = 0;
    for (double weight : alpha_by_luma) total += weight;
    double below = 0;
    for (int luma = 0; luma < 128; ++luma) below += alpha_by_luma[luma];
    return total > 0 && below * 2 > total ? 255 : 0;
}

GrayImage gray_of(const PixelBuffer& input) {
    const std::uint8_t* data = input.data;
    const int width = input.width;
    switch (input.channels) {
        case 1:
            return reduce_to_gray(width, input.height, [&](int x, int y) {
                return data[static_cast<std::size_t>(y) * width + x] / 255.0f;
            });
        case 3:
            return reduce_to_gray(width, input.height, [&](int x, int y) {
                return luma_times_1000(data + 3 * (static_cast<std::size_t>(y) * width + x)) / 255000.0f;
            });
        default: {
            // gray = (alpha * luma + (255 - alpha) * backdrop) / 255^2, again in whole numbers.
            const int backdrop_times_1000 = transparent_backdrop(input) * 1000;
            return reduce_to_gray(width, input.height, [&](int x, int y) {
                const std::uint8_t* pixel = data + 4 * (static_cast<std::size_t>(y) * width + x);
                const int alpha = pixel[3];
                return (alpha * luma_times_1000(pixel) + (255 - alpha) * backdrop_times_1000) / 65025000.0f;
            });
        }
    }
}

// ============================================================================================
// 2. Ink strength: background, polarity, noise floor, contrast
// ============================================================================================

// The value at `fraction` (0 = smallest, 1 = largest) of `values`, which it reorders.
float quantile(std::vector<float>& values, double fraction) {
    const auto nth = values.begin() + static_cast<std::ptrdiff_t>(fraction * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), nth, values.end());
    return *nth;
}

std::vector<float> border_values(const GrayImage& image) {
    const int w = image.width, h = image.height;
    const auto at = [&](int x, int y) { return image.values[static_cast<std::size_t>(y) * w + x]; };
    std::vector<float> border;
    for (int x = 0; x < w; ++x) {
        border.push_back(at(x, 0));
        if (h > 1) border.push_back(at(x, h - 1));
    }
    for (int y = 1; y < h - 1; ++y) {
        border.push_back(at(0, y));
        if (w > 1) border.push_back(at(w - 1, y));
    }
    return border;
}

// Otsu's threshold for `values` in [0, top]: the level splitting a 256-bin histogram into the
// two classes with the largest between-class variance w0 w1 (m0 - m1)^2.
float otsu_threshold(const std::vector<float>& values, float top) {
    constexpr int kBins = 256;
    std::array<double, kBins> histogram{};
    for (float value : values) histogram[std::min(kBins - 1, static_cast<int>(value / top * kBins))] += 1;
    double total = 0, total_sum = 0;
    for (int bin = 0; bin < kBins; ++bin) {
        total += histogram[bin];
        total_sum += bin * histogram[bin];
    }
    double below = 0, below_sum = 0, best_variance = -1;
    int best_bin = 0;
    for (int bin = 0; bin < kBins - 1; ++bin) {
        below += histogram[bin];
        below_sum += bin * histogram[bin];
        const double above = total - below;
        if (below == 0 || above == 0) continue;
        const double mean_gap = below_sum / below - (total_sum - below_sum) / above;
        const double variance = below * above * mean_gap * mean_gap;
        if (variance > best_variance) {
            best_variance = variance;
            best_bin = bin;
        }
    }
    return static_cast<float>(best_bin + 1) * top / kBins;  // bins above best_bin are ink
}

// Turns gray levels into ink strength in [0, 1] in place (see step 2 in digit_image.h).
// Returns false when there is no ink stronger than the noise and min_contrast.
bool to_ink_strength(GrayImage& image, const PreprocessOptions& options) {
    std::vector<float> border = border_values(image);
    const float background = quantile(border, 0.5);
    for (float& value : border) value = std::abs(value - background);
    const float noise_sigma = 1.4826f * quantile(border, 0.5);  // robust standard deviation

    bool dark_ink = options.polarity == Polarity::dark_on_light;
    if (options.polarity == Polarity::detect) {
        double darker = 0, lighter = 0;
        for (float value : image.values) {
            const double deviation = value - background;
            (deviation < 0 ? darker : lighter) += deviation * deviation;
        }
        dark_ink = darker >= lighter;
    }

    float strongest = 0;
    for (float& value : image.values) {
        value = std::max(0.0f, dark_ink ? background - value : value - background);
        strongest = std::max(strongest, value);
    }
    if (strongest < options.min_contrast || strongest == 0) return false;

    const float threshold = otsu_threshold(image.values, strongest);
    std::vector<float> foreground;
    for (float value : image.values) {
        if (value >= threshold) foreground.push_back(value);
    }
    if (foreground.empty()) foreground.push_back(strongest);
    const float contrast = quantile(foreground, 0.95);
    const float noise_floor = std::min(3 * noise_sigma, 0.5f * threshold);
    if (contrast - noise_floor < std::max(options.min_contrast, 1e-6f)) return false;

    const float scale = 1.0f / (contrast - noise_floor);
    for (float& value : image.values) value = std::clamp((value - noise_floor) * scale, 0.0f, 1.0f);
    return true;
}

// ============================================================================================
// 3. Ink blobs: removing specks, the bounding box
// ============================================================================================

struct Box {  // [x_begin, x_end) x [y_begin, y_end); empty when x_end <= x_begin
    int x_begin = 0, y_begin = 0, x_end = 0, y_end = 0;

    bool empty() const { return x_end <= x_begin; }
    int width() const { return x_end - x_begin; }
    int height() const { return y_end - y_begin; }
    void add(int x, int y) {
        if (empty()) {
            *this = Box{x, y, x + 1, y + 1};
            return;
        }
        x_begin = std::min(x_begin, x), x_end = std::max(x_end, x + 1);
        y_begin = std::min(y_begin, y), y_end = std::max(y_end, y + 1);
    }
    void add(const Box& other) {
        if (other.empty()) return;
        add(other.x_begin, other.y_begin);
        add(other.x_end - 1, other.y_end - 1);
    }
};

struct Blob {
    double mass = 0;  // sum of ink strength
    Box edge_box;     // pixels at least edge_level strong
    Box ink_box;      // all its pixels
};

// Finds the 8-connected blobs of ink, zeroes those holding less than speck_fraction of the ink
// (never the largest), and returns the bounding box of the rest: of their pixels at least
// edge_level strong, or of all their pixels if none is that strong.
Box remove_specks(GrayImage& ink, const PreprocessOptions& options) {
    const int w = ink.width, h = ink.height;
    std::vector<int> blob_of(ink.values.size(), -1);
    std::vector<Blob> blobs;
    std::vector<int> stack;
    for (std::size_t start = 0; start < ink.values.size(); ++start) {
        if (ink.values[start] <= 0 || blob_of[start] >= 0) continue;
        const int id = static_cast<int>(blobs.size());
        Blob blob;
        blob_of[start] = id;
        stack.assign(1, static_cast<int>(start));
        while (!stack.empty()) {
            const int index = stack.back();
            stack.pop_back();
            const int x = index % w, y = index / w;
            const float value = ink.values[index];
            blob.mass += value;
            blob.ink_box.add(x, y);
            if (value >= options.edge_level) blob.edge_box.add(x, y);
            for (int ny = std::max(0, y - 1); ny <= std::min(h - 1, y + 1); ++ny) {
                for (int nx = std::max(0, x - 1); nx <= std::min(w - 1, x + 1); ++nx) {
                    const int neighbour = ny * w + nx;
                    if (ink.values[neighbour] > 0 && blob_of[neighbour] < 0) {
                        blob_of[neighbour] = id;
                        stack.push_back(neighbour);
                    }
                }
            }
        }
        blobs.push_back(blob);
    }
    if (blobs.empty()) return Box{};

    double total = 0;
    std::size_t largest = 0;
    for (std::size_t i = 0; i < blobs.size(); ++i) {
        total += blobs[i].mass;
        if (blobs[i].mass > blobs[largest].mass) largest = i;
    }
    std::vector<char> kept(blobs.size());
    Box edge_box, ink_box;
    for (std::size_t i = 0; i < blobs.size(); ++i) {
        kept[i] = i == largest || blobs[i].mass >= options.speck_fraction * total;
        if (!kept[i]) continue;
        edge_box.add(blobs[i].edge_box);
        ink_box.add(blobs[i].ink_box);
    }
    for (std::size_t i = 0; i < ink.values.size(); ++i) {
        if (blob_of[i] >= 0 && !kept[blob_of[i]]) ink.values[i] = 0;
    }
    return edge_box.empty() ? ink_box : edge_box;
}

// ============================================================================================
// 4. Scaling to 20 pixels and centring by mass in 28x28
// ============================================================================================

// Area-averaging weights from `source` pixels to ceil(source * scale) pixels (target x source):
// entry (i, p) is the length of target pixel i covered by source pixel p, in target pixels.
// A fully covered target pixel's weights sum to 1, so it is the mean of the area it covers;
// a partly covered one at the end is proportionally lighter.
Matrix coverage_weights(int source, float scale) {
    const int target = std::max(1, static_cast<int>(std::ceil(source * scale - 1e-3f)));
    Matrix weights = Matrix::Zero(target, source);
    for (int p = 0; p < source; ++p) {
        const float begin = p * scale, end = (p + 1) * scale;
        for (int i = static_cast<int>(begin); i < target && i < end; ++i) {
            weights(i, p) = std::min(end, i + 1.0f) - std::max(begin, static_cast<float>(i));
        }
    }
    return weights;
}

// Row or column index of the intensity centre of mass along one axis of `image`.
float centre_of_mass(const Matrix& image, bool along_columns) {
    double mass = 0, moment = 0;
    for (int r = 0; r < image.rows(); ++r) {
        for (int c = 0; c < image.cols(); ++c) {
            mass += image(r, c);
            moment += image(r, c) * (along_columns ? c : r);
        }
    }
    return static_cast<float>(moment / mass);
}

// Where the scaled image's first row or column goes so its centre of mass lands on index
// kDigitSide / 2, rounded, but with all of it inside the field.
int placement(float centre, int length) {
    const int shift = static_cast<int>(std::lround(kDigitSide / 2 - centre));
    return std::clamp(shift, 0, kDigitSide - length);
}

DigitImage scale_and_centre(const GrayImage& ink, const Box& box) {
    const float scale = static_cast<float>(kDigitBox) / std::max(box.width(), box.height());
    const Matrix columns = coverage_weights(box.width(), scale);  // out_w x box_w
    const Matrix rows = coverage_weights(box.height(), scale);    // out_h x box_h
    const Eigen::Map<const Matrix> whole(ink.values.data(), ink.height, ink.width);
    // (out_h x box_h) * (box_h x box_w) * (box_w x out_w) = out_h x out_w, at most 20 x 20
    const Matrix scaled = rows * whole.block(box.y_begin, box.x_begin, box.height(), box.width()) *
                          columns.transpose();

    const int top = placement(centre_of_mass(scaled, false), static_cast<int>(scaled.rows()));
    const int left = placement(centre_of_mass(scaled, true), static_cast<int>(scaled.cols()));
    const float peak = scaled.maxCoeff();
    DigitImage digit;
    digit.empty = false;
    for (int r = 0; r < scaled.rows(); ++r) {
        for (int c = 0; c < scaled.cols(); ++c) {
            digit.pixels[(top + r) * kDigitSide + left + c] = std::clamp(scaled(r, c) / peak, 0.0f, 1.0f);
        }
    }
    return digit;
}

// ============================================================================================
// 5. The entry points
// ============================================================================================

DigitImage digit_from_gray(GrayImage image, const PreprocessOptions& options) {
    if (!to_ink_strength(image, options)) return DigitImage{};
    const Box box = remove_specks(image, options);
    const float min_extent =
        std::max(2.0f, options.min_extent_fraction * static_cast<float>(std::min(image.width, image.height)));
    if (box.empty() || static_cast<float>(std::max(box.width(), box.height())) < min_extent) return DigitImage{};
    return scale_and_centre(image, box);
}

}  // namespace

DigitImage preprocess_drawing(const PixelBuffer& input, const PreprocessOptions& options) {
    check_image_size(input.data, input.width, input.height);
    if (input.channels != 1 && input.channels != 3 && input.channels != 4) {
        throw Error("preprocess_drawing: the image has " + std::to_string(input.channels) +
                    " channels; expected 1 (gray), 3 (RGB) or 4 (RGBA)");
    }
    check_options(options);
    return digit_from_gray(gray_of(input), options);
}

DigitImage preprocess_drawing(const float* gray, int width, int height, const PreprocessOptions& options) {
    check_image_size(gray, width, height);
    check_options(options);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const float value = gray[static_cast<std::size_t>(y) * width + x];
            if (!(value >= 0.0f && value <= 1.0f)) {  // also catches NaN
                throw Error("preprocess_drawing: pixel (" + std::to_string(x) + ", " + std::to_string(y) +
                            ") is " + std::to_string(value) + "; gray values must be finite and in [0, 1]");
            }
        }
    }
    return digit_from_gray(reduce_to_gray(width, height, [&](int x, int y) {
                               return gray[static_cast<std::size_t>(y) * width + x];
                           }),
                           options);
}

}  // namespace fcnet
