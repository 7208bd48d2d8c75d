// Random distortions of 28x28 digits for training (affine, stroke width, elastic), then the
// inference preprocessing.
//
// Sections:
//   drawing the random parameters   seeds, draw_distortion, option checks
//   elastic field                   smoothed random displacements (Simard et al. 2003)
//   canvas                          the warp with bilinear sampling, grey morphology
//   entry points                    distort_digit, augment_batch
#include "data/augment.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/seed_mix.h"
#include "preprocess/digit_image.h"

namespace fcnet {

namespace {

constexpr int kSide = 28;          // the digit's side
constexpr int kCanvasSide = 40;    // the canvas's side in digit pixels: room for a rotated, grown digit
constexpr float kCentre = 14.0f;   // the digit's centre, in pixel-edge coordinates (pixel i spans [i, i+1))
constexpr float kPi = 3.14159265358979f;

// =========================================================================================
// drawing the random parameters
// =========================================================================================

// A well-mixed 64-bit value from any input (SplitMix64's first output), so nearby seeds
// (consecutive rows, batches) give unrelated random streams.
std::uint64_t mix(std::uint64_t value) { return splitmix64(value, 0); }

float uniform(std::mt19937_64& random, float low, float high) {
    // 24 random bits give a float in [0, 1) exactly and the same on every platform.
    const float unit = static_cast<float>(random() >> 40) * (1.0f / 16777216.0f);
    return low + (high - low) * unit;
}

// =========================================================================================
// elastic field
// =========================================================================================

// Displacements (dx, dy) at the 28x28 pixel centres: uniform in [-1, 1], convolved with a
// Gaussian of `sigma` pixels (separable, zero outside the image), times `alpha`.
struct ElasticField {
    std::vector<float> dx, dy;  // 28 x 28, row-major

    // The displacement at (x, y) in pixel-edge coordinates, bilinear between pixel centres;
    // constant beyond the outermost centres.
    void at(float x, float y, float& out_x, float& out_y) const {
        const float u = std::clamp(x - 0.5f, 0.0f, kSide - 1.0f), v = std::clamp(y - 0.5f, 0.0f, kSide - 1.0f);
        const int u0 = std::min(static_cast<int>(u), kSide - 2), v0 = std::min(static_cast<int>(v), kSide - 2);
        const float fu = u - u0, fv = v - v0;
        const int i = v0 * kSide + u0;
        const float w00 = (1 - fu) * (1 - fv), w01 = fu * (1 - fv), w10 = (1 - fu) * fv, w11 = fu * fv;
        out_x = w00 * dx[i] + w01 * dx[i + 1] + w10 * dx[i + kSide] + w11 * dx[i + kSide + 1];
        out_y = w00 * dy[i] + w01 * dy[i + 1] + w10 * dy[i + kSide] + w11 * dy[i + kSide + 1];
    }
};

std::vector<float> smoothed_noise(std::mt19937_64& random, float sigma, float alpha) {
    std::vector<float> noise(kSide * kSide);
    for (float& value : noise) value = uniform(random, -1.0f, 1.0f);
    const int radius = static_cast<int>(std::ceil(3 * sigma));
    std::vector<float> kernel(2 * radius + 1);
    for (int k = -radius; k <= radius; ++k) kernel[k + radius] = std::exp(-0.5f * k * k / (sigma * sigma));
    float total = 0;
    for (float weight : kernel) total += weight;
    for (float& weight : kernel) weight /= total;

    std::vector<float> rows(kSide * kSide, 0.0f), field(kSide * kSide, 0.0f);
    for (int y = 0; y < kSide; ++y) {  // along x
        for (int x = 0; x < kSide; ++x) {
            float sum = 0;
            for (int k = std::max(-radius, -x); k <= std::min(radius, kSide - 1 - x); ++k) {
                sum += kernel[k + radius] * noise[y * kSide + x + k];
            }
            rows[y * kSide + x] = sum;
        }
    }
    for (int y = 0; y < kSide; ++y) {  // along y
        for (int x = 0; x < kSide; ++x) {
            float sum = 0;
            for (int k = std::max(-radius, -y); k <= std::min(radius, kSide - 1 - y); ++k) {
                sum += kernel[k + radius] * rows[(y + k) * kSide + x];
            }
            field[y * kSide + x] = alpha * sum;
        }
    }
    return field;
}

ElasticField elastic_field(const Distortion& distortion) {
    std::mt19937_64 random(mix(distortion.elastic_seed));
    ElasticField field;
    field.dx = smoothed_noise(random, distortion.elastic_sigma, distortion.elastic_alpha);
    field.dy = smoothed_noise(random, distortion.elastic_sigma, distortion.elastic_alpha);
    return field;
}

// =========================================================================================
// canvas
// =========================================================================================

// The source digit's ink at (x, y) in pixel-edge coordinates, bilinear between pixel centres,
// 0 outside the image.
float sample(const float* digit, float x, float y) {
    const float u = x - 0.5f, v = y - 0.5f;
    const int u0 = static_cast<int>(std::floor(u)), v0 = static_cast<int>(std::floor(v));
    if (u0 < -1 || v0 < -1 || u0 >= kSide || v0 >= kSide) return 0.0f;
    const float fu = u - u0, fv = v - v0;
    const auto ink = [digit](int px, int py) {
        return px < 0 || py < 0 || px >= kSide || py >= kSide ? 0.0f : digit[py * kSide + px];
    };
    return (1 - fu) * (1 - fv) * ink(u0, v0) + fu * (1 - fv) * ink(u0 + 1, v0) + (1 - fu) * fv * ink(u0, v0 + 1) +
           fu * fv * ink(u0 + 1, v0 + 1);
}

// A square canvas whose pixels outside `region` are all zero, so work can skip them.
struct Canvas {
    int side = 0;
    std::vector<float> values;               // side x side, row-major
    int x_begin = 0, y_begin = 0, x_end = 0, y_end = 0;  // the region that may hold ink

    void grow_region(int by) {
        x_begin = std::max(0, x_begin - by), y_begin = std::max(0, y_begin - by);
        x_end = std::min(side, x_end + by), y_end = std::min(side, y_end + by);
    }
};

// The warped digit on a (40 * upsample)^2 canvas.
Canvas warp_onto_canvas(const float* digit, const Distortion& d, int upsample) {
    Canvas canvas;
    canvas.side = kCanvasSide * upsample;
    canvas.values.assign(static_cast<std::size_t>(canvas.side) * canvas.side, 0.0f);
    const float angle = d.rotation_degrees * kPi / 180.0f;
    const float c = std::cos(angle), s = std::sin(angle);
    // Forward map of an offset from the centre, with y pointing down the screen:
    // A = R * H * S, R = [c s; -s c] (counter-clockwise on screen), H = [1 k; 0 1], S = diag(sx, sy).
    const float a00 = c * d.scale_x, a01 = (c * d.shear + s) * d.scale_y;
    const float a10 = -s * d.scale_x, a11 = (-s * d.shear + c) * d.scale_y;
    const float determinant = a00 * a11 - a01 * a10;  // sx * sy, never 0 (scale < 1 is checked)
    const float i00 = a11 / determinant, i01 = -a01 / determinant;  // A^-1
    const float i10 = -a10 / determinant, i11 = a00 / determinant;
    const bool elastic = d.elastic_alpha != 0;
    const ElasticField field = elastic ? elastic_field(d) : ElasticField{};

    // Only canvas pixels whose source point can reach ink are sampled: the ink's bounding box
    // (widened by the bilinear footprint and the largest elastic displacement) mapped by A.
    int ink_x0 = kSide, ink_y0 = kSide, ink_x1 = -1, ink_y1 = -1;
    for (int y = 0; y < kSide; ++y) {
        for (int x = 0; x < kSide; ++x) {
            if (digit[y * kSide + x] != 0) {
                ink_x0 = std::min(ink_x0, x), ink_x1 = std::max(ink_x1, x);
                ink_y0 = std::min(ink_y0, y), ink_y1 = std::max(ink_y1, y);
            }
        }
    }
    if (ink_x1 < 0) return canvas;  // no ink: an empty region
    float reach = 1.0f;
    if (elastic) {
        for (std::size_t i = 0; i < field.dx.size(); ++i) {
            reach = std::max(reach, 1.0f + std::max(std::abs(field.dx[i]), std::abs(field.dy[i])));
        }
    }
    const float half = kCanvasSide / 2.0f;
    float low_x = INFINITY, low_y = INFINITY, high_x = -INFINITY, high_y = -INFINITY;
    for (const float sx : {ink_x0 - reach, ink_x1 + 1 + reach}) {
        for (const float sy : {ink_y0 - reach, ink_y1 + 1 + reach}) {
            const float qx = sx - kCentre, qy = sy - kCentre;
            const float px = (a00 * qx + a01 * qy + half + d.shift_x) * upsample;  // canvas pixels
            const float py = (a10 * qx + a11 * qy + half + d.shift_y) * upsample;
            low_x = std::min(low_x, px), high_x = std::max(high_x, px);
            low_y = std::min(low_y, py), high_y = std::max(high_y, py);
        }
    }
    canvas.x_begin = std::clamp(static_cast<int>(std::floor(low_x)) - 1, 0, canvas.side);
    canvas.y_begin = std::clamp(static_cast<int>(std::floor(low_y)) - 1, 0, canvas.side);
    canvas.x_end = std::clamp(static_cast<int>(std::ceil(high_x)) + 1, canvas.x_begin, canvas.side);
    canvas.y_end = std::clamp(static_cast<int>(std::ceil(high_y)) + 1, canvas.y_begin, canvas.side);

    for (int row = canvas.y_begin; row < canvas.y_end; ++row) {
        for (int column = canvas.x_begin; column < canvas.x_end; ++column) {
            // the canvas pixel's centre as an offset from the canvas centre, in digit pixels
            const float px = (column + 0.5f) / upsample - half - d.shift_x;
            const float py = (row + 0.5f) / upsample - half - d.shift_y;
            float x = kCentre + i00 * px + i01 * py, y = kCentre + i10 * px + i11 * py;
            if (elastic) {
                float ex = 0, ey = 0;
                field.at(x, y, ex, ey);
                x += ex, y += ey;
            }
            canvas.values[static_cast<std::size_t>(row) * canvas.side + column] = sample(digit, x, y);
        }
    }
    return canvas;
}

// Grey dilation (the maximum) or erosion (the minimum) over a disc of `radius` whole pixels,
// computed inside the region grown by `radius` (beyond it everything stays zero).
std::vector<float> morphology(const Canvas& canvas, int radius, bool dilate) {
    std::vector<std::pair<int, int>> disc;
    for (int dy = -radius; dy <= radius; ++dy) {
        for (int dx = -radius; dx <= radius; ++dx) {
            if (dx * dx + dy * dy <= radius * radius) disc.emplace_back(dx, dy);
        }
    }
    Canvas grown = canvas;
    grown.grow_region(radius);
    const int side = canvas.side;
    std::vector<float> result(canvas.values.size(), 0.0f);
    for (int y = grown.y_begin; y < grown.y_end; ++y) {
        for (int x = grown.x_begin; x < grown.x_end; ++x) {
            float extreme = canvas.values[static_cast<std::size_t>(y) * side + x];
            for (const auto& [dx, dy] : disc) {
                const int sx = x + dx, sy = y + dy;
                const float value = sx < 0 || sy < 0 || sx >= side || sy >= side
                                        ? 0.0f
                                        : canvas.values[static_cast<std::size_t>(sy) * side + sx];
                extreme = dilate ? std::max(extreme, value) : std::min(extreme, value);
            }
            result[static_cast<std::size_t>(y) * side + x] = extreme;
        }
    }
    return result;
}

// Changes the stroke width by `radius` canvas pixels (negative thins): a fractional radius
// blends the two whole radii around it, so the ink changes smoothly with the knob.
void change_stroke(Canvas& canvas, float radius) {
    if (radius == 0) return;
    const bool dilate = radius > 0;
    const float size = std::abs(radius);
    const int lower = static_cast<int>(std::floor(size));
    const float fraction = size - lower;
    std::vector<float> inner = lower == 0 ? canvas.values : morphology(canvas, lower, dilate);
    if (fraction > 0) {
        const std::vector<float> outer = morphology(canvas, lower + 1, dilate);
        for (std::size_t i = 0; i < inner.size(); ++i) inner[i] = (1 - fraction) * inner[i] + fraction * outer[i];
    }
    canvas.values = std::move(inner);
    if (dilate) canvas.grow_region(lower + 1);
}

}  // namespace

// =========================================================================================
// entry points
// =========================================================================================

void check_augment_options(const AugmentOptions& o) {
    const auto check = [](float value, float high, const char* name, const char* range) {
        if (!(value >= 0.0f && value <= high)) {
            throw Error(std::string("augmentation: ") + name + " is " + std::to_string(value) + "; expected " + range);
        }
    };
    check(o.rotation_degrees, 180.0f, "rotation", "0 to 180 degrees");
    check(o.scale, 0.9f, "scale", "0 to 0.9 (the factor range is [1 - s, 1 + s])");
    check(o.shift, 6.0f, "shift", "0 to 6 pixels");
    check(o.shear, 1.0f, "shear", "0 to 1");
    check(o.thicken, 4.0f, "thicken", "0 to 4 pixels");
    check(o.thin, 4.0f, "thin", "0 to 4 pixels");
    check(o.elastic_alpha, 1000.0f, "elastic alpha", "0 to 1000");
    check(o.elastic_sigma, 28.0f, "elastic sigma", "0 to 28 pixels");
    if (o.elastic_alpha > 0 && !(o.elastic_sigma >= 0.5f)) {
        throw Error("augmentation: elastic sigma is " + std::to_string(o.elastic_sigma) +
                    "; it must be at least 0.5 pixels when elastic alpha is not 0");
    }
    if (o.upsample < 1 || o.upsample > 8) {
        throw Error("augmentation: upsample is " + std::to_string(o.upsample) + "; expected 1 to 8");
    }
}

Distortion draw_distortion(const AugmentOptions& o, std::uint64_t seed) {
    std::mt19937_64 random(mix(seed));
    Distortion d;
    d.rotation_degrees = uniform(random, -o.rotation_degrees, o.rotation_degrees);
    d.scale_x = uniform(random, 1 - o.scale, 1 + o.scale);
    d.scale_y = uniform(random, 1 - o.scale, 1 + o.scale);
    d.shear = uniform(random, -o.shear, o.shear);
    d.shift_x = uniform(random, -o.shift, o.shift);
    d.shift_y = uniform(random, -o.shift, o.shift);
    d.stroke = uniform(random, -o.thin, o.thicken);
    d.elastic_alpha = o.elastic_alpha;
    d.elastic_sigma = o.elastic_sigma;
    d.elastic_seed = random();
    return d;
}

void distort_digit(const float* digit, const Distortion& distortion, int upsample, bool preprocess, float* out) {
    Canvas canvas = warp_onto_canvas(digit, distortion, upsample);
    change_stroke(canvas, distortion.stroke * upsample);
    for (float& value : canvas.values) value = std::clamp(value, 0.0f, 1.0f);
    const int side = canvas.side;

    if (preprocess) {
        // Preprocess the ink's region with a blank margin, like a drawing on a larger canvas
        // (the pipeline reads the background from the border), without the empty rest.
        canvas.grow_region(2 * upsample);
        const int width = canvas.x_end - canvas.x_begin, height = canvas.y_end - canvas.y_begin;
        std::vector<float> cropped(static_cast<std::size_t>(std::max(width, 1)) * std::max(height, 1), 0.0f);
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                cropped[static_cast<std::size_t>(y) * width + x] =
                    canvas.values[static_cast<std::size_t>(canvas.y_begin + y) * side + canvas.x_begin + x];
            }
        }
        PreprocessOptions options;
        options.polarity = Polarity::light_on_dark;
        const DigitImage image = preprocess_drawing(cropped.data(), std::max(width, 1), std::max(height, 1), options);
        if (image.empty) {
            if (out != digit) std::copy(digit, digit + kSide * kSide, out);
            return;
        }
        std::copy(image.pixels.begin(), image.pixels.end(), out);
        return;
    }
    // the central 28x28 digit pixels: box average of upsample x upsample canvas pixels
    const int margin = (kCanvasSide - kSide) / 2 * upsample;
    const float area = static_cast<float>(upsample * upsample);
    for (int y = 0; y < kSide; ++y) {
        for (int x = 0; x < kSide; ++x) {
            float sum = 0;
            for (int dy = 0; dy < upsample; ++dy) {
                for (int dx = 0; dx < upsample; ++dx) {
                    sum += canvas.values[static_cast<std::size_t>(margin + y * upsample + dy) * side + margin +
                                         x * upsample + dx];
                }
            }
            out[y * kSide + x] = sum / area;
        }
    }
}

void augment_batch(Eigen::Ref<Matrix> features, const AugmentOptions& options, std::uint64_t seed, int epoch,
                   int batch) {
    if (features.cols() != kSide * kSide) {
        throw Error("augmentation works on 28x28 digits (784 features); the data has " +
                    std::to_string(features.cols()) + " features");
    }
    const std::uint64_t batch_seed = mix(mix(mix(seed) ^ static_cast<std::uint64_t>(epoch)) ^
                                         static_cast<std::uint64_t>(batch));
    const int rows = static_cast<int>(features.rows());
#pragma omp parallel for schedule(dynamic, 4)
    for (int row = 0; row < rows; ++row) {
        const Distortion distortion = draw_distortion(options, batch_seed ^ mix(static_cast<std::uint64_t>(row)));
        distort_digit(features.row(row).data(), distortion, options.upsample, options.preprocess,
                      features.row(row).data());
    }
}

}  // namespace fcnet
