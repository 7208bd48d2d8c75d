// The drawing -> 28x28 pipeline declared in digit_image.h. Sections:
//   1. Checking the input
//   2. Scratch space kept between calls
//   3. Gray levels: bytes (gray, RGB, RGBA over a backdrop) or floats; large inputs reduced
//   4. Runs of equal pixels, their gray levels, polarity, strongest ink, where the ink is
//   5. Ink strength: Otsu's threshold, contrast, noise floor
//   6. Ink blobs: runs of ink joined into 8-connected blobs, removing specks, the bounding box
//   7. Scaling to 20 pixels and centring by mass in 28x28
//   8. The entry points
//
// Speed: each row of the image is cut once into runs of equal pixels (8 bytes compared at a
// time), and steps 1 to 3 of digit_image.h work on those runs, not on pixels: a drawing on a
// blank canvas is a few runs per row. Only step 4 (scaling) reads pixels again, inside the
// digit's box. Nothing is allocated once the scratch space has grown to the image's size.
#include "preprocess/digit_image.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/error.h"
#include "preprocess/stroke_width.h"

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
    if (!in_range(options.stroke_width, 0.0f, 0.5f)) refuse("stroke_width", options.stroke_width, "[0, 0.5]");
}

// ============================================================================================
// 2. Scratch space kept between calls
// ============================================================================================

struct Box {  // [x_begin, x_end) x [y_begin, y_end); empty when x_end <= x_begin
    int x_begin = 0, y_begin = 0, x_end = 0, y_end = 0;

    bool empty() const { return x_end <= x_begin; }
    int width() const { return x_end - x_begin; }
    int height() const { return y_end - y_begin; }
    void add(const Box& other) {
        if (other.empty()) return;
        if (empty()) {
            *this = other;
            return;
        }
        x_begin = std::min(x_begin, other.x_begin), x_end = std::max(x_end, other.x_end);
        y_begin = std::min(y_begin, other.y_begin), y_end = std::max(y_end, other.y_end);
    }
};

// Where one row's pixels darker and lighter than the background are: [begin, end), empty when
// begin >= end.
struct RowSides {
    int dark_begin = 0, dark_end = 0, light_begin = 0, light_end = 0;
};

// A horizontal run of ink (strength > 0) in row y: [x_begin, x_end), one or more runs of equal pixels.
struct InkRun {
    int y = 0, x_begin = 0, x_end = 0;
    int parent = 0;                    // union-find link; a blob's runs share a root
    double mass = 0;                   // sum of ink strength
    int edge_begin = 0, edge_end = 0;  // its pixels at least edge_level strong, [begin, end); may be empty
    bool kept = false;                 // its blob stays (is no speck)
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
    std::vector<float> reduced;               // a large input's box-reduced gray image
    // Runs of equal pixels: row y holds runs row_runs[y] to row_runs[y + 1] - 1; run r ends
    // (exclusive) at x = run_ends[r] and starts where the one before it in the row ends.
    std::vector<std::size_t> row_runs;
    std::vector<std::uint32_t> run_ends;
    std::vector<float> run_gray;              // each run's gray level
    std::vector<float> run_ink;               // its deviation to the ink's side, then its ink strength
    std::vector<std::uint8_t> run_bin;        // its deviation's Otsu histogram bin, where positive
    std::vector<int> run_ink_run;             // the InkRun it is part of, or -1
    std::vector<RowSides> row_sides;
    std::vector<float> border;                // the border pixels' gray levels
    std::vector<std::pair<float, std::size_t>> contrast_candidates;  // (deviation, pixels)
    std::vector<InkRun> ink_runs;
    std::vector<int> blob_of_root;            // ink run index -> blob index, for root runs
    std::vector<Blob> blobs;
    std::vector<float> ink;                   // ink strength inside the digit's box, row-major
    std::vector<float> rows_scaled;           // an image scaled vertically: out_h x its width
    std::vector<float> scaled;                // the ink scaled to kDigitBox: out_h x out_w
    InkImage width_work;                      // the ink scaled to kStrokeWidthWorkSide, maybe redrawn

    void release_if_large() {
        constexpr std::size_t kKeptScratchPixels = 1'000'000;
        if (reduced.capacity() > kKeptScratchPixels || run_ends.capacity() > kKeptScratchPixels ||
            ink.capacity() > kKeptScratchPixels) {
            *this = Scratch{};
        }
    }
};

thread_local Scratch thread_scratch;  // use through a reference: each access to a thread_local costs a call

// Calls each_run(y, run, x_begin, x_end) for every run of equal pixels in rows [y_begin, y_end)
// (find_equal_runs found them).
template <typename EachRun>
void for_each_equal_run(const Scratch& scratch, int y_begin, int y_end, EachRun each_run) {
    for (int y = y_begin; y < y_end; ++y) {
        int begin = 0;
        for (std::size_t run = scratch.row_runs[y]; run < scratch.row_runs[y + 1]; ++run) {
            const int end = static_cast<int>(scratch.run_ends[run]);
            each_run(y, run, begin, end);
            begin = end;
        }
    }
}

// ============================================================================================
// 3. Gray levels: bytes (gray, RGB, RGBA over a backdrop) or floats; large inputs reduced
// ============================================================================================

// Rec. 601 luma of an RGB pixel times 1000, in whole numbers so that R = G = B = v gives
// exactly 1000 v: a gray image stored as RGB converts to the very same floats as stored gray.
int luma_times_1000(const std::uint8_t* rgb) { return 299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2]; }

// Where the run of pixels equal to pixel `begin` ends (at `limit` at the latest), for pixels of
// kPixelBytes bytes: 8 bytes are compared at a time where the pixel size divides 8.
template <int kPixelBytes>
std::size_t equal_run_end(const std::uint8_t* bytes, std::size_t begin, std::size_t limit) {
    const std::uint8_t* pixel = bytes + begin * kPixelBytes;
    std::size_t end = begin + 1;
    if constexpr (8 % kPixelBytes == 0) {
        constexpr std::size_t kPerWord = 8 / kPixelBytes;
        std::uint8_t repeated[8];
        for (int i = 0; i < 8; ++i) repeated[i] = pixel[i % kPixelBytes];
        std::uint64_t pattern, word;
        std::memcpy(&pattern, repeated, 8);
        for (; end + kPerWord <= limit; end += kPerWord) {
            std::memcpy(&word, bytes + end * kPixelBytes, 8);
            if (word != pattern) break;
        }
    }
    while (end < limit && std::memcmp(bytes + end * kPixelBytes, pixel, kPixelBytes) == 0) ++end;
    return end;
}

// The sources of gray levels. Each gives gray(i) in [0, 1] (0 = black) for pixel i, and
// run_end(i, limit): the end of the run of pixels equal to pixel i, which is converted once.
struct GrayBytes {
    const std::uint8_t* data;
    std::size_t run_end(std::size_t i, std::size_t limit) const { return equal_run_end<1>(data, i, limit); }
    float gray(std::size_t i) const { return data[i] / 255.0f; }
};

struct RgbBytes {
    const std::uint8_t* data;
    std::size_t run_end(std::size_t i, std::size_t limit) const { return equal_run_end<3>(data, i, limit); }
    float gray(std::size_t i) const { return luma_times_1000(data + 3 * i) / 255000.0f; }
};

// gray = (alpha * luma + (255 - alpha) * backdrop) / 255^2, in whole numbers as far as possible.
struct RgbaBytes {
    const std::uint8_t* data;
    int backdrop_times_1000;  // the gray level transparent pixels show, 0 or 255 000
    std::size_t run_end(std::size_t i, std::size_t limit) const { return equal_run_end<4>(data, i, limit); }
    float gray(std::size_t i) const {
        const std::uint8_t* pixel = data + 4 * i;
        const int alpha = pixel[3];
        return (alpha * luma_times_1000(pixel) + (255 - alpha) * backdrop_times_1000) / 65025000.0f;
    }
};

struct GrayFloats {
    const float* data;
    std::size_t run_end(std::size_t i, std::size_t limit) const {
        return equal_run_end<sizeof(float)>(reinterpret_cast<const std::uint8_t*>(data), i, limit);
    }
    float gray(std::size_t i) const { return data[i]; }
};

// Calls each_run(y, x_begin, x_end) for every run of equal pixels of `source`, row by row.
template <typename Source, typename EachRun>
void scan_equal_runs(const Source& source, int width, int height, EachRun each_run) {
    for (int y = 0; y < height; ++y) {
        const std::size_t row = static_cast<std::size_t>(y) * width;
        for (int begin = 0; begin < width;) {
            const int end = static_cast<int>(source.run_end(row + begin, row + width) - row);
            each_run(y, begin, end);
            begin = end;
        }
    }
}

// Fills scratch.row_runs and run_ends (see Scratch).
template <typename Source>
void find_equal_runs(Scratch& scratch, const Source& source, int width, int height) {
    std::vector<std::uint32_t>& run_ends = scratch.run_ends;
    run_ends.clear();
    scratch.row_runs.resize(static_cast<std::size_t>(height) + 1);
    int rows_started = 0;
    scan_equal_runs(source, width, height, [&](int y, int, int end) {
        while (rows_started <= y) scratch.row_runs[rows_started++] = run_ends.size();
        run_ends.push_back(static_cast<std::uint32_t>(end));
    });
    scratch.row_runs[height] = run_ends.size();
}

// The gray level (0 or 255) that transparent RGBA pixels show: white when the visible pixels
// are mostly dark (the alpha-weighted median luma is below mid-gray), as with dark strokes on a
// transparent canvas, and black when they are mostly light. for_each_run(each_run) calls
// each_run(y, x_begin, x_end) for every run of equal pixels of the width-wide `rgba`.
template <typename ForEachRun>
int transparent_backdrop(const std::uint8_t* rgba, int width, ForEachRun for_each_run) {
    std::int64_t total = 0, below = 0;  // alpha-weighted counts: all pixels, luma below 128
    bool any_transparency = false;
    for_each_run([&](int y, int begin, int end) {
        const std::uint8_t* pixel = rgba + 4 * (static_cast<std::size_t>(y) * width + begin);
        const std::int64_t weight = std::int64_t{pixel[3]} * (end - begin);
        total += weight;
        if (luma_times_1000(pixel) < 128'000) below += weight;
        any_transparency = any_transparency || pixel[3] < 255;
    });
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
GrayFloats reduce(Scratch& scratch, const Source& source, int width, int height, int factor, int& reduced_width,
                  int& reduced_height) {
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
// 4. Runs of equal pixels, their gray levels, polarity, strongest ink, where the ink is
// ============================================================================================

// What the ink-strength step needs to know about the image (see step 2 in digit_image.h).
struct ImageFacts {
    int width = 0, height = 0;
    float background = 0;            // the median of the border pixels' gray levels
    float noise_sigma = 0;           // 1.4826 x their median absolute deviation from it
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
void measure_border(Scratch& scratch, const Source& source, ImageFacts& facts) {
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

// Fills scratch.run_gray and row_sides, and the deviation sums and extremes of `facts`.
template <typename Source>
void read_gray(Scratch& scratch, const Source& source, ImageFacts& facts) {
    scratch.run_gray.resize(scratch.run_ends.size());
    scratch.row_sides.assign(facts.height, RowSides{});
    const float background = facts.background;
    double darker = 0, lighter = 0;
    float darkest = 1, lightest = 0;
    for_each_equal_run(scratch, 0, facts.height, [&](int y, std::size_t run, int begin, int end) {
        const float value = source.gray(static_cast<std::size_t>(y) * facts.width + begin);
        scratch.run_gray[run] = value;
        darkest = std::min(darkest, value);
        lightest = std::max(lightest, value);
        const double deviation = value - background;  // in float, then squared in double
        (deviation < 0 ? darker : lighter) += deviation * deviation * (end - begin);
        RowSides& sides = scratch.row_sides[y];
        if (value < background) {
            if (sides.dark_begin >= sides.dark_end) sides.dark_begin = begin;
            sides.dark_end = end;
        } else if (value > background) {
            if (sides.light_begin >= sides.light_end) sides.light_begin = begin;
            sides.light_end = end;
        }
    });
    facts.darker = darker, facts.lighter = lighter;
    facts.darkest = darkest, facts.lightest = lightest;
}

// The bounding box of the pixels on the ink's side of the background.
Box ink_side_box(const Scratch& scratch, int height, bool dark_ink) {
    Box box;
    for (int y = 0; y < height; ++y) {
        const RowSides& sides = scratch.row_sides[y];
        const int begin = dark_ink ? sides.dark_begin : sides.light_begin;
        const int end = dark_ink ? sides.dark_end : sides.light_end;
        if (begin < end) box.add(Box{begin, y, end, y + 1});
    }
    return box;
}

// ============================================================================================
// 5. Ink strength: Otsu's threshold, contrast, noise floor
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

// Where the ink is and how a pixel's deviation to the ink's side becomes its ink strength.
// Outside `box` every pixel is on the background's other side (or equal to it): no ink.
struct InkMap {
    Box box;
    float noise_floor = 0, scale = 1;
    float strength(float deviation) const { return std::clamp((deviation - noise_floor) * scale, 0.0f, 1.0f); }
};

// The value at `fraction` (0 = smallest, 1 = largest) of the pixels' deviations that are at
// least `threshold` (> 0), each run weighted by its pixel count: found in the one histogram bin that
// holds it, since bins grow with the deviation.
float foreground_quantile(Scratch& scratch, const Box& box, double fraction, float threshold) {
    std::array<std::size_t, kOtsuBins> counts{};
    std::size_t foreground = 0;
    for_each_equal_run(scratch, box.y_begin, box.y_end, [&](int, std::size_t run, int begin, int end) {
        if (scratch.run_ink[run] < threshold) return;
        counts[scratch.run_bin[run]] += static_cast<std::size_t>(end - begin);
        foreground += static_cast<std::size_t>(end - begin);
    });
    auto rank = static_cast<std::size_t>(fraction * static_cast<double>(foreground - 1));
    int bin = 0;
    while (rank >= counts[bin]) rank -= counts[bin++];
    std::vector<std::pair<float, std::size_t>>& candidates = scratch.contrast_candidates;
    candidates.clear();
    for_each_equal_run(scratch, box.y_begin, box.y_end, [&](int, std::size_t run, int begin, int end) {
        if (scratch.run_ink[run] >= threshold && scratch.run_bin[run] == bin) {
            candidates.emplace_back(scratch.run_ink[run], static_cast<std::size_t>(end - begin));
        }
    });
    std::sort(candidates.begin(), candidates.end());
    std::size_t candidate = 0;
    while (rank >= candidates[candidate].second) rank -= candidates[candidate++].second;
    return candidates[candidate].first;
}

// Finds the ink's side, its box, each run's deviation to that side (scratch.run_ink) and the
// map from deviation to ink strength (step 2 in digit_image.h). Returns false when there is
// no ink stronger than the noise and min_contrast.
bool find_ink(Scratch& scratch, const ImageFacts& facts, const PreprocessOptions& options, InkMap& ink) {
    const float background = facts.background;
    bool dark_ink = options.polarity == Polarity::dark_on_light;
    if (options.polarity == Polarity::detect) dark_ink = facts.darker >= facts.lighter;
    const float strongest =
        std::max(0.0f, dark_ink ? background - facts.darkest : facts.lightest - background);
    if (strongest < options.min_contrast || strongest == 0) return false;

    // Otsu's threshold on the histogram of all pixels' deviations (bin 0 holds the zeros).
    ink.box = ink_side_box(scratch, facts.height, dark_ink);
    scratch.run_ink.resize(scratch.run_ends.size());
    scratch.run_bin.resize(scratch.run_ends.size());
    std::array<double, kOtsuBins> histogram{};
    double positive = 0;
    for_each_equal_run(scratch, ink.box.y_begin, ink.box.y_end, [&](int, std::size_t run, int begin, int end) {
        const float gray = scratch.run_gray[run];
        const float deviation = std::max(0.0f, dark_ink ? background - gray : gray - background);
        scratch.run_ink[run] = deviation;
        if (deviation <= 0) return;
        const int bin = std::min(kOtsuBins - 1, static_cast<int>(deviation / strongest * kOtsuBins));
        scratch.run_bin[run] = static_cast<std::uint8_t>(bin);
        histogram[bin] += end - begin;
        positive += end - begin;
    });
    histogram[0] += static_cast<double>(facts.width) * facts.height - positive;
    const float threshold = otsu_threshold(histogram, strongest);

    // The contrast: the 95th percentile of the deviations at least the threshold (the strongest
    // pixel always is one of them: the threshold is below it).
    const float contrast = foreground_quantile(scratch, ink.box, 0.95, threshold);
    ink.noise_floor = std::min(3 * facts.noise_sigma, 0.5f * threshold);
    if (contrast - ink.noise_floor < std::max(options.min_contrast, 1e-6f)) return false;
    ink.scale = 1.0f / (contrast - ink.noise_floor);
    return true;
}

// ============================================================================================
// 6. Ink blobs: runs of ink joined into 8-connected blobs, removing specks, the bounding box
// ============================================================================================

int root_of(std::vector<InkRun>& runs, int run) {
    while (runs[run].parent != run) {
        runs[run].parent = runs[runs[run].parent].parent;  // path halving
        run = runs[run].parent;
    }
    return run;
}

void join(std::vector<InkRun>& runs, int a, int b) {
    a = root_of(runs, a), b = root_of(runs, b);
    if (a != b) runs[std::max(a, b)].parent = std::min(a, b);  // the earlier run stays the root
}

// Turns each run's deviation into ink strength, joins neighbouring runs with ink into InkRuns,
// and joins InkRuns in neighbouring rows that touch, diagonally included: the union-find roots
// are the 8-connected blobs.
void find_ink_runs(Scratch& scratch, const InkMap& ink, const PreprocessOptions& options) {
    std::vector<InkRun>& runs = scratch.ink_runs;
    runs.clear();
    scratch.run_ink_run.resize(scratch.run_ends.size());
    std::size_t previous_row = 0;  // where the ink runs of the row above start
    for (int y = ink.box.y_begin; y < ink.box.y_end; ++y) {
        const std::size_t this_row = runs.size();
        bool open = false;
        for_each_equal_run(scratch, y, y + 1, [&](int, std::size_t run, int begin, int end) {
            const float strength = ink.strength(scratch.run_ink[run]);
            scratch.run_ink[run] = strength;
            if (!(strength > 0)) {
                scratch.run_ink_run[run] = -1;
                open = false;
                return;
            }
            if (!open) {
                InkRun started;
                started.y = y, started.x_begin = begin, started.parent = static_cast<int>(runs.size());
                started.edge_begin = started.edge_end = begin;
                runs.push_back(started);
                open = true;
            }
            InkRun& current = runs.back();
            current.x_end = end;
            current.mass += static_cast<double>(strength) * (end - begin);
            if (strength >= options.edge_level) {
                if (current.edge_begin >= current.edge_end) current.edge_begin = begin;
                current.edge_end = end;
            }
            scratch.run_ink_run[run] = static_cast<int>(runs.size() - 1);
        });
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

// Finds the 8-connected blobs of ink, marks those holding less than speck_fraction of the ink
// (never the largest) as specks, and returns the bounding box of the rest: of their pixels at
// least edge_level strong, or of all their pixels if none is that strong.
Box remove_specks(Scratch& scratch, const InkMap& ink, const PreprocessOptions& options) {
    find_ink_runs(scratch, ink, options);
    std::vector<InkRun>& runs = scratch.ink_runs;
    std::vector<Blob>& blobs = scratch.blobs;
    std::vector<int>& blob_of_root = scratch.blob_of_root;
    blobs.clear();
    blob_of_root.resize(runs.size());
    // Blobs numbered in the order of their first pixel, top to bottom and left to right: the
    // root of each is its first run.
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const int root = root_of(runs, static_cast<int>(i));
        if (root == static_cast<int>(i)) {
            blob_of_root[i] = static_cast<int>(blobs.size());
            blobs.emplace_back();
        }
        Blob& blob = blobs[blob_of_root[root]];
        const InkRun& run = runs[i];
        blob.mass += run.mass;
        blob.ink_box.add(Box{run.x_begin, run.y, run.x_end, run.y + 1});
        blob.edge_box.add(Box{run.edge_begin, run.y, run.edge_end, run.y + 1});
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
    for (std::size_t i = 0; i < runs.size(); ++i) {
        runs[i].kept = blobs[blob_of_root[root_of(runs, static_cast<int>(i))]].kept;
    }
    return edge_box.empty() ? ink_box : edge_box;
}

// Fills scratch.ink with the ink strength of the pixels in `box`, specks removed.
void fill_ink(Scratch& scratch, const Box& box) {
    const int box_width = box.width();
    scratch.ink.resize(static_cast<std::size_t>(box_width) * box.height());
    for_each_equal_run(scratch, box.y_begin, box.y_end, [&](int y, std::size_t run, int begin, int end) {
        begin = std::max(begin, box.x_begin), end = std::min(end, box.x_end);
        if (begin >= end) return;
        const int ink_run = scratch.run_ink_run[run];
        const float strength = ink_run >= 0 && scratch.ink_runs[ink_run].kept ? scratch.run_ink[run] : 0.0f;
        float* row = scratch.ink.data() + static_cast<std::size_t>(y - box.y_begin) * box_width;
        std::fill(row + (begin - box.x_begin), row + (end - box.x_begin), strength);
    });
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

// Area-scales `source` (height x width, row-major) by `scale` into `target`
// (coverage_size(height) x coverage_size(width)); returns the target's width and height.
std::pair<int, int> area_scale(const float* source, int width, int height, float scale, std::vector<float>& rows_scaled,
                               std::vector<float>& target) {
    const int out_height = coverage_size(height, scale), out_width = coverage_size(width, scale);
    // rows_scaled (out_h x w) = rows (out_h x h) * source (h x w): each source row added,
    // weighted, to the output rows it covers.
    rows_scaled.assign(static_cast<std::size_t>(out_height) * width, 0.0f);
    for_each_coverage(height, scale, [&](int i, int p, float weight) {
        const float* row = source + static_cast<std::size_t>(p) * width;
        float* out = rows_scaled.data() + static_cast<std::size_t>(i) * width;
        for (int x = 0; x < width; ++x) out[x] += weight * row[x];
    });
    // target (out_h x out_w) = rows_scaled (out_h x w) * columns^T (w x out_w).
    target.assign(static_cast<std::size_t>(out_height) * out_width, 0.0f);
    for_each_coverage(width, scale, [&](int i, int p, float weight) {
        for (int r = 0; r < out_height; ++r) {
            target[static_cast<std::size_t>(r) * out_width + i] +=
                weight * rows_scaled[static_cast<std::size_t>(r) * width + p];
        }
    });
    return {out_width, out_height};
}

// Scales the ink (height x width) so its longer side is kDigitBox pixels and centres it.
DigitImage scale_and_centre(Scratch& scratch, const float* ink, int width, int height) {
    const float scale = static_cast<float>(kDigitBox) / std::max(width, height);
    // The longer side becomes kDigitBox pixels exactly, the shorter one at most that.
    const auto [out_width, out_height] = area_scale(ink, width, height, scale, scratch.rows_scaled, scratch.scaled);
    const std::vector<float>& scaled = scratch.scaled;  // out_height x out_width

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

// Step 4 with the stroke width made MNIST-like first (see PreprocessOptions::stroke_width): the
// ink in `box` is scaled to kStrokeWidthWorkSide, and if normalize_stroke_width redraws it, that
// redrawn ink is what is scaled to kDigitBox; otherwise the ink as drawn is.
DigitImage normalize_and_centre(Scratch& scratch, const Box& box, const PreprocessOptions& options) {
    if (options.stroke_width > 0) {
        InkImage& work = scratch.width_work;
        const float scale = static_cast<float>(kStrokeWidthWorkSide) / std::max(box.width(), box.height());
        std::tie(work.width, work.height) =
            area_scale(scratch.ink.data(), box.width(), box.height(), scale, scratch.rows_scaled, work.values);
        if (normalize_stroke_width(work, options.stroke_width)) {
            return scale_and_centre(scratch, work.values.data(), work.width, work.height);
        }
    }
    return scale_and_centre(scratch, scratch.ink.data(), box.width(), box.height());
}

// ============================================================================================
// 8. The entry points
// ============================================================================================

// Steps 2 to 6 of digit_image.h on a gray source of width x height pixels whose runs of equal
// pixels find_equal_runs has found.
template <typename Source>
DigitImage digit_from_gray(Scratch& scratch, const Source& source, int width, int height,
                           const PreprocessOptions& options) {
    ImageFacts facts;
    facts.width = width, facts.height = height;
    measure_border(scratch, source, facts);
    read_gray(scratch, source, facts);
    InkMap ink;
    if (!find_ink(scratch, facts, options, ink)) return DigitImage{};
    const Box box = remove_specks(scratch, ink, options);
    const float min_extent = std::max(2.0f, options.min_extent_fraction * static_cast<float>(std::min(width, height)));
    if (box.empty() || static_cast<float>(std::max(box.width(), box.height())) < min_extent) return DigitImage{};
    fill_ink(scratch, box);
    return normalize_and_centre(scratch, box, options);
}

// Reduces a large source first (see reduction_factor), then digit_from_gray; afterwards gives
// back the scratch space a very large image made it take.
template <typename Source>
DigitImage digit_from_source(Scratch& scratch, const Source& source, int width, int height,
                             const PreprocessOptions& options) {
    DigitImage digit;
    const int factor = reduction_factor(width, height);
    if (factor == 1) {
        find_equal_runs(scratch, source, width, height);
        digit = digit_from_gray(scratch, source, width, height, options);
    } else {
        int reduced_width = 0, reduced_height = 0;
        const GrayFloats reduced = reduce(scratch, source, width, height, factor, reduced_width, reduced_height);
        find_equal_runs(scratch, reduced, reduced_width, reduced_height);
        digit = digit_from_gray(scratch, reduced, reduced_width, reduced_height, options);
    }
    scratch.release_if_large();
    return digit;
}

// RGBA needs the backdrop first, found from the same runs of equal pixels as the rest.
DigitImage digit_from_rgba(Scratch& scratch, const std::uint8_t* rgba, int width, int height,
                           const PreprocessOptions& options) {
    const RgbaBytes pixels{rgba, 0};  // runs of equal pixels do not depend on the backdrop
    if (reduction_factor(width, height) > 1) {
        const int backdrop = transparent_backdrop(
            rgba, width, [&](auto each_run) { scan_equal_runs(pixels, width, height, each_run); });
        return digit_from_source(scratch, RgbaBytes{rgba, backdrop * 1000}, width, height, options);
    }
    find_equal_runs(scratch, pixels, width, height);
    const int backdrop = transparent_backdrop(rgba, width, [&](auto each_run) {
        for_each_equal_run(scratch, 0, height,
                           [&](int y, std::size_t, int begin, int end) { each_run(y, begin, end); });
    });
    const DigitImage digit = digit_from_gray(scratch, RgbaBytes{rgba, backdrop * 1000}, width, height, options);
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
    Scratch& scratch = thread_scratch;
    switch (input.channels) {
        case 1: return digit_from_source(scratch, GrayBytes{input.data}, input.width, input.height, options);
        case 3: return digit_from_source(scratch, RgbBytes{input.data}, input.width, input.height, options);
        default: return digit_from_rgba(scratch, input.data, input.width, input.height, options);
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
    Scratch& scratch = thread_scratch;
    return digit_from_source(scratch, GrayFloats{gray}, width, height, options);
}

}  // namespace fcnet
