// The drawing -> 28x28 pipeline declared in digit_image.h. Sections:
//   1. Checking the input
//   2. Scratch space kept between calls
//   3. Gray levels: bytes (gray, RGB, RGBA over a backdrop) or floats; large inputs reduced
//   4. One pass over the whole image: gray levels, polarity, strongest ink, rows with ink
//   5. Ink strength inside the ink's box: Otsu's threshold, contrast, noise floor
//   6. Ink blobs: runs of ink joined into 8-connected blobs, removing specks, the bounding box
//   7. Scaling to 20 pixels and centring by mass in 28x28
//   8. The entry points
//
// Speed: only section 4 reads every pixel, and it handles a run of identical pixels (the blank
// canvas around a drawing) at once; everything after it works inside the bounding box of the
// pixels on the ink's side of the background. No call allocates once the scratch space has grown.
#include "preprocess/digit_image.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"

namespace fcnet {
namespace {

constexpr std::int64_t kWorkingPixels = 4'000'000;  // larger inputs are box-reduced to at most this

// ============================================================================================
// 1. Checking the input
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

// ============================================================================================
// 2. Scratch space kept between calls
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

// A horizontal run of ink pixels in one row of the ink box: [x_begin, x_end) in row y.
struct Run {
    int y = 0, x_begin = 0, x_end = 0;
    int parent = 0;            // union-find link; a blob's runs share a root
    double mass = 0;           // sum of ink strength
    int edge_begin = 0, edge_end = 0;  // the pixels at least edge_level strong, [begin, end); may be empty
};

struct Blob {
    double mass = 0;  // sum of ink strength
    Box edge_box;     // pixels at least edge_level strong
    Box ink_box;      // all its pixels
    bool kept = false;
};

// Buffers every call needs, kept (one set per thread) so that classifying drawing after drawing
// allocates nothing. Buffers grown past kKeptScratchPixels are released after the call.
struct Scratch {
    std::vector<float> reduced;              // a large input's box-reduced gray image
    std::vector<float> gray;                 // the whole image's gray levels
    std::vector<float> row_low, row_high;    // each row's darkest and lightest gray level
    std::vector<float> border;               // the border pixels' gray levels
    std::vector<float> ink;                  // ink strength inside the ink box, row-major
    std::vector<float> nonzero_ink;          // the positive ink strengths, for the contrast
    std::vector<Run> runs;
    std::vector<int> blob_of_root;           // run index -> blob index, for root runs
    std::vector<Blob> blobs;
    std::vector<float> rows_scaled;          // the box scaled vertically: out_h x box_w

    void release_if_large() {
        constexpr std::size_t kKeptScratchPixels = 1'000'000;
        if (gray.capacity() > kKeptScratchPixels || reduced.capacity() > kKeptScratchPixels) *this = Scratch{};
    }
};

thread_local Scratch scratch;

// ============================================================================================
// 3. Gray levels: bytes (gray, RGB, RGBA over a backdrop) or floats; large inputs reduced
// ============================================================================================

// Rec. 601 luma of an RGB pixel times 1000, in whole numbers so that R = G = B = v gives
// exactly 1000 v: a gray image stored as RGB converts to the very same floats as stored gray.
int luma_times_1000(const std::uint8_t* rgb) { return 299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2]; }

std::uint32_t four_bytes(const std::uint8_t* bytes) {
    std::uint32_t value;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

// The sources of gray levels. Each gives key(i), equal for pixels i that have the same gray
// level (so a run of equal keys is converted once), and gray(i) in [0, 1], 0 = black.
struct GrayBytes {
    const std::uint8_t* data;
    std::uint8_t key(std::size_t i) const { return data[i]; }
    float gray(std::size_t i) const { return data[i] / 255.0f; }
};

struct RgbBytes {
    const std::uint8_t* data;
    std::uint32_t key(std::size_t i) const {
        const std::uint8_t* pixel = data + 3 * i;
        return pixel[0] | std::uint32_t{pixel[1]} << 8 | std::uint32_t{pixel[2]} << 16;
    }
    float gray(std::size_t i) const { return luma_times_1000(data + 3 * i) / 255000.0f; }
};

// gray = (alpha * luma + (255 - alpha) * backdrop) / 255^2, in whole numbers as far as possible.
struct RgbaBytes {
    const std::uint8_t* data;
    int backdrop_times_1000;  // the gray level transparent pixels show, 0 or 255 000
    std::uint32_t key(std::size_t i) const { return four_bytes(data + 4 * i); }
    float gray(std::size_t i) const {
        const std::uint8_t* pixel = data + 4 * i;
        const int alpha = pixel[3];
        return (alpha * luma_times_1000(pixel) + (255 - alpha) * backdrop_times_1000) / 65025000.0f;
    }
};

struct GrayFloats {
    const float* data;
    std::uint32_t key(std::size_t i) const {
        std::uint32_t bits;
        std::memcpy(&bits, data + i, sizeof bits);
        return bits;
    }
    float gray(std::size_t i) const { return data[i]; }
};

// The gray level (0 or 255) that transparent RGBA pixels show: white when the visible pixels
// are mostly dark (the alpha-weighted median luma is below mid-gray), as with dark strokes on a
// transparent canvas, and black when they are mostly light.
int transparent_backdrop(const std::uint8_t* rgba, std::size_t pixels) {
    std::int64_t total = 0, below = 0;  // alpha-weighted counts: all pixels, luma below 128
    bool any_transparency = false;
    for (std::size_t i = 0; i < pixels;) {
        const std::uint32_t key = four_bytes(rgba + 4 * i);
        std::size_t end = i + 1;
        while (end < pixels && four_bytes(rgba + 4 * end) == key) ++end;
        const std::uint8_t* pixel = rgba + 4 * i;
        const std::int64_t weight = std::int64_t{pixel[3]} * static_cast<std::int64_t>(end - i);
        total += weight;
        if (luma_times_1000(pixel) < 128'000) below += weight;
        any_transparency = any_transparency || pixel[3] < 255;
        i = end;
    }
    if (!any_transparency) return 255;  // no pixel shows the backdrop
    return total > 0 && below * 2 > total ? 255 : 0;
}

int ceil_div(int value, int divisor) { return (value + divisor - 1) / divisor; }

// The smallest whole factor that brings the image down to at most kWorkingPixels pixels.
int reduction_factor(int width, int height) {
    int factor = 1;
    while (std::int64_t{ceil_div(width, factor)} * ceil_div(height, factor) > kWorkingPixels) ++factor;
    return factor;
}

// Each factor x factor block of `source` (width x height) averaged into one pixel of
// scratch.reduced (blocks at the right and bottom edges may be smaller). Only for factor > 1.
template <typename Source>
GrayFloats reduce(const Source& source, int width, int height, int factor, int& reduced_width, int& reduced_height) {
    reduced_width = ceil_div(width, factor);
    reduced_height = ceil_div(height, factor);
    scratch.reduced.resize(static_cast<std::size_t>(reduced_width) * reduced_height);
    std::vector<double> sums(reduced_width);
    for (int row = 0; row < reduced_height; ++row) {
        std::fill(sums.begin(), sums.end(), 0.0);
        const int y_begin = row * factor, y_end = std::min(height, y_begin + factor);
        for (int y = y_begin; y < y_end; ++y) {
            for (int x = 0; x < width; ++x) sums[x / factor] += source.gray(static_cast<std::size_t>(y) * width + x);
        }
        for (int column = 0; column < reduced_width; ++column) {
            const int block_width = std::min(width, (column + 1) * factor) - column * factor;
            scratch.reduced[static_cast<std::size_t>(row) * reduced_width + column] =
                static_cast<float>(sums[column] / (block_width * (y_end - y_begin)));
        }
    }
    return GrayFloats{scratch.reduced.data()};
}

// ============================================================================================
// 4. One pass over the whole image: gray levels, polarity, strongest ink, rows with ink
// ============================================================================================

// What the ink-strength step needs to know about the image (see step 2 in digit_image.h).
struct ImageFacts {
    int width = 0, height = 0;
    float background = 0;        // the median of the border pixels' gray levels
    float noise_sigma = 0;       // 1.4826 x their median absolute deviation from it
    double darker = 0, lighter = 0;  // sums of squared deviations from the background, by side
    float darkest = 1, lightest = 0;
};

// The value at `fraction` (0 = smallest, 1 = largest) of [begin, end), which it reorders.
float quantile(float* begin, float* end, double fraction) {
    float* nth = begin + static_cast<std::ptrdiff_t>(fraction * static_cast<double>(end - begin - 1));
    std::nth_element(begin, nth, end);
    return *nth;
}

template <typename Source>
void measure_border(const Source& source, ImageFacts& facts) {
    const int w = facts.width, h = facts.height;
    const auto at = [&](int x, int y) { return source.gray(static_cast<std::size_t>(y) * w + x); };
    std::vector<float>& border = scratch.border;
    border.clear();
    for (int x = 0; x < w; ++x) {
        border.push_back(at(x, 0));
        if (h > 1) border.push_back(at(x, h - 1));
    }
    for (int y = 1; y < h - 1; ++y) {
        border.push_back(at(0, y));
        if (w > 1) border.push_back(at(w - 1, y));
    }
    facts.background = quantile(border.data(), border.data() + border.size(), 0.5);
    for (float& value : border) value = std::abs(value - facts.background);
    facts.noise_sigma = 1.4826f * quantile(border.data(), border.data() + border.size(), 0.5);  // robust sigma
}

// Fills scratch.gray, row_low and row_high, and the deviation sums and extremes of `facts`.
// A run of pixels with equal keys is converted and counted once.
template <typename Source>
void read_gray(const Source& source, ImageFacts& facts) {
    const int w = facts.width, h = facts.height;
    scratch.gray.resize(static_cast<std::size_t>(w) * h);
    scratch.row_low.resize(h);
    scratch.row_high.resize(h);
    const float background = facts.background;
    double darker = 0, lighter = 0;
    for (int y = 0; y < h; ++y) {
        const std::size_t row = static_cast<std::size_t>(y) * w;
        float* out = scratch.gray.data() + row;
        float low = 1, high = 0;
        for (int x = 0; x < w;) {
            const auto key = source.key(row + x);
            int end = x + 1;
            while (end < w && source.key(row + end) == key) ++end;
            const float value = source.gray(row + x);
            std::fill(out + x, out + end, value);
            low = std::min(low, value);
            high = std::max(high, value);
            const double deviation = value - background;  // in float, then squared in double
            (deviation < 0 ? darker : lighter) += deviation * deviation * (end - x);
            x = end;
        }
        scratch.row_low[y] = low;
        scratch.row_high[y] = high;
        facts.darkest = std::min(facts.darkest, low);
        facts.lightest = std::max(facts.lightest, high);
    }
    facts.darker = darker;
    facts.lighter = lighter;
}

// ============================================================================================
// 5. Ink strength inside the ink's box: Otsu's threshold, contrast, noise floor
// ============================================================================================

constexpr int kOtsuBins = 256;

// Otsu's threshold on a histogram of kOtsuBins bins over [0, top]: the level splitting it into
// the two classes with the largest between-class variance w0 w1 (m0 - m1)^2.
float otsu_threshold(const std::array<double, kOtsuBins>& histogram, float top) {
    double total = 0, total_sum = 0;
    for (int bin = 0; bin < kOtsuBins; ++bin) {
        total += histogram[bin];
        total_sum += bin * histogram[bin];
    }
    double below = 0, below_sum = 0, best_variance = -1;
    int best_bin = 0;
    for (int bin = 0; bin < kOtsuBins - 1; ++bin) {
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
    return static_cast<float>(best_bin + 1) * top / kOtsuBins;  // bins above best_bin are ink
}

// The ink strength of the whole image, stored for its ink box only: outside it every pixel is
// on the background's other side (or equal to it), so its ink strength is 0.
struct InkImage {
    Box box;  // in image pixels; scratch.ink holds box.width() x box.height() values, row-major
};

// The bounding box of the pixels on the ink's side of the background.
Box ink_side_box(const ImageFacts& facts, bool dark_ink) {
    const float background = facts.background;
    const auto inked = [&](float value) { return dark_ink ? value < background : value > background; };
    Box box;
    for (int y = 0; y < facts.height; ++y) {
        if (!inked(dark_ink ? scratch.row_low[y] : scratch.row_high[y])) continue;
        const float* row = scratch.gray.data() + static_cast<std::size_t>(y) * facts.width;
        int first = 0, last = facts.width - 1;
        while (!inked(row[first])) ++first;
        while (!inked(row[last])) --last;
        box.add(first, y);
        box.add(last, y);
    }
    return box;
}

// Turns gray levels into ink strength in [0, 1] (see step 2 in digit_image.h) in scratch.ink.
// Returns false when there is no ink stronger than the noise and min_contrast.
bool to_ink_strength(const ImageFacts& facts, const PreprocessOptions& options, InkImage& ink) {
    const float background = facts.background;
    bool dark_ink = options.polarity == Polarity::dark_on_light;
    if (options.polarity == Polarity::detect) dark_ink = facts.darker >= facts.lighter;
    const float strongest =
        std::max(0.0f, dark_ink ? background - facts.darkest : facts.lightest - background);
    if (strongest < options.min_contrast || strongest == 0) return false;

    // Ink strength = deviation to the ink's side, and its histogram for Otsu's threshold.
    ink.box = ink_side_box(facts, dark_ink);
    const int box_width = ink.box.width(), box_height = ink.box.height();
    scratch.ink.resize(static_cast<std::size_t>(box_width) * box_height);
    scratch.nonzero_ink.resize(scratch.ink.size());
    std::array<double, kOtsuBins> histogram{};
    std::size_t nonzero = 0;
    for (int y = 0; y < box_height; ++y) {
        const float* gray = scratch.gray.data() + static_cast<std::size_t>(ink.box.y_begin + y) * facts.width +
                            ink.box.x_begin;
        float* out = scratch.ink.data() + static_cast<std::size_t>(y) * box_width;
        for (int x = 0; x < box_width; ++x) {
            const float value = std::max(0.0f, dark_ink ? background - gray[x] : gray[x] - background);
            out[x] = value;
            scratch.nonzero_ink[nonzero] = value;
            nonzero += value > 0;
        }
    }
    const double zeros = static_cast<double>(facts.width) * facts.height - static_cast<double>(nonzero);
    histogram[0] = zeros;
    for (std::size_t i = 0; i < nonzero; ++i) {
        const float value = scratch.nonzero_ink[i];
        ++histogram[std::min(kOtsuBins - 1, static_cast<int>(value / strongest * kOtsuBins))];
    }
    const float threshold = otsu_threshold(histogram, strongest);

    // The contrast: the 95th percentile of the ink above Otsu's threshold.
    std::size_t foreground = 0;
    for (std::size_t i = 0; i < nonzero; ++i) {
        const float value = scratch.nonzero_ink[i];
        scratch.nonzero_ink[foreground] = value;
        foreground += value >= threshold;
    }
    if (foreground == 0) scratch.nonzero_ink[foreground++] = strongest;
    const float contrast = quantile(scratch.nonzero_ink.data(), scratch.nonzero_ink.data() + foreground, 0.95);
    const float noise_floor = std::min(3 * facts.noise_sigma, 0.5f * threshold);
    if (contrast - noise_floor < std::max(options.min_contrast, 1e-6f)) return false;

    const float scale = 1.0f / (contrast - noise_floor);
    for (float& value : scratch.ink) value = std::clamp((value - noise_floor) * scale, 0.0f, 1.0f);
    return true;
}

// ============================================================================================
// 6. Ink blobs: runs of ink joined into 8-connected blobs, removing specks, the bounding box
// ============================================================================================

int root_of(std::vector<Run>& runs, int run) {
    while (runs[run].parent != run) {
        runs[run].parent = runs[runs[run].parent].parent;  // path halving
        run = runs[run].parent;
    }
    return run;
}

void join(std::vector<Run>& runs, int a, int b) {
    a = root_of(runs, a), b = root_of(runs, b);
    if (a != b) runs[std::max(a, b)].parent = std::min(a, b);  // the earlier run stays the root
}

// Finds the runs of ink (strength > 0) in the ink box and joins runs in neighbouring rows that
// touch, diagonally included: the union-find roots are the 8-connected blobs.
void find_runs(const InkImage& ink, const PreprocessOptions& options) {
    const int box_width = ink.box.width(), box_height = ink.box.height();
    std::vector<Run>& runs = scratch.runs;
    runs.clear();
    std::size_t previous_row = 0, this_row = 0;  // where the runs of the row above and this row start
    for (int y = 0; y < box_height; ++y) {
        const float* row = scratch.ink.data() + static_cast<std::size_t>(y) * box_width;
        this_row = runs.size();
        for (int x = 0; x < box_width;) {
            if (row[x] <= 0) {
                ++x;
                continue;
            }
            Run run;
            run.y = y, run.x_begin = x, run.parent = static_cast<int>(runs.size());
            run.edge_begin = box_width, run.edge_end = 0;
            for (; x < box_width && row[x] > 0; ++x) {
                run.mass += row[x];
                if (row[x] >= options.edge_level) {
                    run.edge_begin = std::min(run.edge_begin, x);
                    run.edge_end = x + 1;
                }
            }
            run.x_end = x;
            runs.push_back(run);
        }
        // Runs [a_begin, a_end) above and [b_begin, b_end) here touch when a_end >= b_begin and
        // a_begin <= b_end. Both rows' runs are sorted by x, so one sweep finds every pair.
        std::size_t above = previous_row;
        for (std::size_t here = this_row; here < runs.size(); ++here) {
            while (above < this_row && runs[above].x_end < runs[here].x_begin) ++above;
            for (std::size_t other = above; other < this_row && runs[other].x_begin <= runs[here].x_end; ++other) {
                join(runs, static_cast<int>(other), static_cast<int>(here));
            }
        }
        previous_row = this_row;
    }
}

// Finds the 8-connected blobs of ink, zeroes those holding less than speck_fraction of the ink
// (never the largest), and returns the bounding box (in image pixels) of the rest: of their
// pixels at least edge_level strong, or of all their pixels if none is that strong.
Box remove_specks(const InkImage& ink, const PreprocessOptions& options) {
    find_runs(ink, options);
    std::vector<Run>& runs = scratch.runs;
    std::vector<Blob>& blobs = scratch.blobs;
    std::vector<int>& blob_of_root = scratch.blob_of_root;
    blobs.clear();
    blob_of_root.resize(runs.size());
    // Blobs numbered in the order of their first pixel, top to bottom and left to right.
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const int root = root_of(runs, static_cast<int>(i));
        if (root == static_cast<int>(i)) {
            blob_of_root[i] = static_cast<int>(blobs.size());
            blobs.emplace_back();
        }
        Blob& blob = blobs[blob_of_root[root]];
        const Run& run = runs[i];
        blob.mass += run.mass;
        blob.ink_box.add(Box{run.x_begin, run.y, run.x_end, run.y + 1});
        if (run.edge_begin < run.edge_end) blob.edge_box.add(Box{run.edge_begin, run.y, run.edge_end, run.y + 1});
    }
    if (blobs.empty()) return Box{};

    double total = 0;
    std::size_t largest = 0;
    for (std::size_t i = 0; i < blobs.size(); ++i) {
        total += blobs[i].mass;
        if (blobs[i].mass > blobs[largest].mass) largest = i;
    }
    Box edge_box, ink_box;
    for (std::size_t i = 0; i < blobs.size(); ++i) {
        blobs[i].kept = i == largest || blobs[i].mass >= options.speck_fraction * total;
        if (!blobs[i].kept) continue;
        edge_box.add(blobs[i].edge_box);
        ink_box.add(blobs[i].ink_box);
    }
    const int box_width = ink.box.width();
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (blobs[blob_of_root[root_of(runs, static_cast<int>(i))]].kept) continue;
        float* row = scratch.ink.data() + static_cast<std::size_t>(runs[i].y) * box_width;
        std::fill(row + runs[i].x_begin, row + runs[i].x_end, 0.0f);
    }
    Box found = edge_box.empty() ? ink_box : edge_box;  // in ink-box pixels
    found.x_begin += ink.box.x_begin, found.x_end += ink.box.x_begin;
    found.y_begin += ink.box.y_begin, found.y_end += ink.box.y_begin;
    return found;
}

// ============================================================================================
// 7. Scaling to 20 pixels and centring by mass in 28x28
// ============================================================================================

// Area averaging from `source` pixels to coverage_size(source, scale) pixels: calls
// covers(i, p, weight) for every target pixel i that source pixel p covers, weight being the
// length of i covered by p, in target pixels. A fully covered target pixel's weights sum to 1,
// so it is the mean of the area it covers; a partly covered one at the end is proportionally
// lighter. (As a target x source matrix the weights are zero except near the diagonal.)
int coverage_size(int source, float scale) {
    return std::max(1, static_cast<int>(std::ceil(source * scale - 1e-3f)));
}

template <typename Covers>
void for_each_coverage(int source, float scale, Covers covers) {
    const int target = coverage_size(source, scale);
    for (int p = 0; p < source; ++p) {
        const float begin = p * scale, end = (p + 1) * scale;
        for (int i = static_cast<int>(begin); i < target && i < end; ++i) {
            covers(i, p, std::min(end, i + 1.0f) - std::max(begin, static_cast<float>(i)));
        }
    }
}

// Where the scaled image's first row or column goes so its centre of mass lands on index
// kDigitSide / 2, rounded, but with all of it inside the field.
int placement(double centre, int length) {
    const int shift = static_cast<int>(std::lround(kDigitSide / 2 - static_cast<float>(centre)));
    return std::clamp(shift, 0, kDigitSide - length);
}

DigitImage scale_and_centre(const InkImage& ink, const Box& box) {
    const float scale = static_cast<float>(kDigitBox) / std::max(box.width(), box.height());
    // The longer side becomes kDigitBox pixels exactly, the shorter one at most that.
    const int out_height = coverage_size(box.height(), scale), out_width = coverage_size(box.width(), scale);
    const int box_width = box.width(), ink_width = ink.box.width();
    const float* first_row = scratch.ink.data() +
                             static_cast<std::size_t>(box.y_begin - ink.box.y_begin) * ink_width +
                             (box.x_begin - ink.box.x_begin);

    // rows_scaled (out_h x box_w) = rows (out_h x box_h) * box (box_h x box_w): each box row
    // added, weighted, to the output rows it covers.
    std::vector<float>& rows_scaled = scratch.rows_scaled;
    rows_scaled.assign(static_cast<std::size_t>(out_height) * box_width, 0.0f);
    for_each_coverage(box.height(), scale, [&](int i, int p, float weight) {
        const float* source = first_row + static_cast<std::size_t>(p) * ink_width;
        float* target = rows_scaled.data() + static_cast<std::size_t>(i) * box_width;
        for (int x = 0; x < box_width; ++x) target[x] += weight * source[x];
    });
    // scaled (out_h x out_w) = rows_scaled (out_h x box_w) * columns^T (box_w x out_w).
    std::array<float, kDigitBox * kDigitBox> scaled{};  // row-major, out_width per row
    for_each_coverage(box_width, scale, [&](int i, int p, float weight) {
        for (int r = 0; r < out_height; ++r) {
            scaled[r * out_width + i] += weight * rows_scaled[static_cast<std::size_t>(r) * box_width + p];
        }
    });

    // The intensity centre of mass, then the placement that puts it at (14, 14).
    double mass = 0, row_moment = 0, column_moment = 0;
    float peak = 0;
    for (int r = 0; r < out_height; ++r) {
        for (int c = 0; c < out_width; ++c) {
            const float value = scaled[r * out_width + c];
            mass += value;
            row_moment += value * r;
            column_moment += value * c;
            peak = std::max(peak, value);
        }
    }
    const int top = placement(row_moment / mass, out_height);
    const int left = placement(column_moment / mass, out_width);
    DigitImage digit;
    digit.empty = false;
    for (int r = 0; r < out_height; ++r) {
        for (int c = 0; c < out_width; ++c) {
            digit.pixels[(top + r) * kDigitSide + left + c] = std::clamp(scaled[r * out_width + c] / peak, 0.0f, 1.0f);
        }
    }
    return digit;
}

// ============================================================================================
// 8. The entry points
// ============================================================================================

// Steps 2 to 6 of digit_image.h on a gray source of width x height pixels.
template <typename Source>
DigitImage digit_from_gray(const Source& source, int width, int height, const PreprocessOptions& options) {
    ImageFacts facts;
    facts.width = width, facts.height = height;
    measure_border(source, facts);
    read_gray(source, facts);
    InkImage ink;
    if (!to_ink_strength(facts, options, ink)) return DigitImage{};
    const Box box = remove_specks(ink, options);
    const float min_extent = std::max(2.0f, options.min_extent_fraction * static_cast<float>(std::min(width, height)));
    if (box.empty() || static_cast<float>(std::max(box.width(), box.height())) < min_extent) return DigitImage{};
    return scale_and_centre(ink, box);
}

// Reduces a large source first (see reduction_factor), then digit_from_gray.
template <typename Source>
DigitImage digit_from_source(const Source& source, int width, int height, const PreprocessOptions& options) {
    const int factor = reduction_factor(width, height);
    if (factor == 1) return digit_from_gray(source, width, height, options);
    int reduced_width = 0, reduced_height = 0;
    const GrayFloats reduced = reduce(source, width, height, factor, reduced_width, reduced_height);
    return digit_from_gray(reduced, reduced_width, reduced_height, options);
}

// Runs the pipeline, then gives back the scratch space a very large image made it take.
template <typename Source>
DigitImage preprocess_source(const Source& source, int width, int height, const PreprocessOptions& options) {
    DigitImage digit = digit_from_source(source, width, height, options);
    scratch.release_if_large();
    return digit;
}

}  // namespace

DigitImage preprocess_drawing(const PixelBuffer& input, const PreprocessOptions& options) {
    check_image_size(input.data, input.width, input.height);
    if (input.channels != 1 && input.channels != 3 && input.channels != 4) {
        throw Error("preprocess_drawing: the image has " + std::to_string(input.channels) +
                    " channels; expected 1 (gray), 3 (RGB) or 4 (RGBA)");
    }
    check_options(options);
    const int width = input.width, height = input.height;
    switch (input.channels) {
        case 1: return preprocess_source(GrayBytes{input.data}, width, height, options);
        case 3: return preprocess_source(RgbBytes{input.data}, width, height, options);
        default: {
            const std::size_t pixels = static_cast<std::size_t>(width) * height;
            const RgbaBytes source{input.data, transparent_backdrop(input.data, pixels) * 1000};
            return preprocess_source(source, width, height, options);
        }
    }
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
    return preprocess_source(GrayFloats{gray}, width, height, options);
}

}  // namespace fcnet
