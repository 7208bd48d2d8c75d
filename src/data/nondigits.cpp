// The non-digit generator declared in nondigits.h. Sections:
//   1. Random helpers and placing unit-box drawings on the canvas
//   2. Strokes: zigzags, spirals, random walks, crossing strokes
//   3. Shapes: outlines and filled
//   4. Letters from DejaVu fonts (stb_truetype)
//   5. Blobs, solid fills and textures
//   6. Rendering, preprocessing and the dataset
#include "data/nondigits.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <mutex>
#include <vector>

#include "core/error.h"
#include "core/large_matrix.h"
#include "io/file_system.h"
#include "preprocess/brush.h"
#include "preprocess/digit_image.h"

#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_STATIC  // private to this file
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include <stb_truetype.h>
#pragma GCC diagnostic pop

namespace fcnet {
namespace {

constexpr float kPi = 3.14159265358979f;
constexpr int kMaxTries = 100;                          // empty results in a row before giving up
constexpr std::uint64_t kMaxFontBytes = 64u << 20;      // a DejaVu font is under 1 MB

// ============================================================================================
// 1. Random helpers and placing unit-box drawings on the canvas
// ============================================================================================

float uniform(std::mt19937_64& rng, float low, float high) {
    return std::uniform_real_distribution<float>(low, high)(rng);
}
int uniform_int(std::mt19937_64& rng, int low, int high) {  // in [low, high]
    return std::uniform_int_distribution<int>(low, high)(rng);
}
bool chance(std::mt19937_64& rng, double probability) { return std::bernoulli_distribution(probability)(rng); }
float log_uniform(std::mt19937_64& rng, float low, float high) {
    return std::exp(uniform(rng, std::log(low), std::log(high)));
}

// Drawings are made in a unit box [-1, 1] x [-1, 1] (y down) and mapped onto the canvas by
// canvas = centre + half_extent * R(angle) * (u, v): the box's longer side becomes 2 * half_extent.
struct Placement {
    float centre_x = 0, centre_y = 0, half_extent = 1, cos_angle = 1, sin_angle = 0, shear = 0;

    CanvasPoint operator()(float u, float v) const {
        u += shear * v;
        return {centre_x + half_extent * (cos_angle * u - sin_angle * v),
                centre_y + half_extent * (sin_angle * u + cos_angle * v)};
    }
    Polyline operator()(const Polyline& unit_points) const {
        Polyline points;
        points.reserve(unit_points.size());
        for (const CanvasPoint& p : unit_points) points.push_back((*this)(p.x, p.y));
        return points;
    }
};

// A random size (the longer side 40 to 130 px of the 140 px canvas), a place that keeps most
// of it on the canvas, and an angle in [-max_angle, max_angle] radians.
Placement random_placement(std::mt19937_64& rng, float max_angle) {
    Placement placement;
    placement.half_extent = uniform(rng, 20.0f, 65.0f);
    const float margin = std::min(0.8f * placement.half_extent, kNonDigitCanvas / 2.0f);
    placement.centre_x = uniform(rng, margin, kNonDigitCanvas - margin);
    placement.centre_y = uniform(rng, margin, kNonDigitCanvas - margin);
    const float angle = uniform(rng, -max_angle, max_angle);
    placement.cos_angle = std::cos(angle);
    placement.sin_angle = std::sin(angle);
    return placement;
}

// A brush 3% to 25% of the drawing's size across (MNIST strokes are about 10-15%), at least 1 px.
float random_brush(std::mt19937_64& rng, const Placement& placement) {
    return std::max(1.0f, 2 * placement.half_extent * log_uniform(rng, 0.03f, 0.25f));
}

// The ellipse with semi-axes (a, b) around (x, y), as a closed polyline.
Polyline ellipse(float x, float y, float a, float b, int points = 48) {
    Polyline line;
    for (int i = 0; i < points; ++i) {
        const float t = 2 * kPi * i / points;
        line.push_back({x + a * std::cos(t), y + b * std::sin(t)});
    }
    return line;
}

// A star with `points` tips at radius 1 and notches at `inner`, as a closed polyline.
Polyline star(int points, float inner) {
    Polyline line;
    for (int i = 0; i < 2 * points; ++i) {
        const float t = kPi * i / points - kPi / 2, r = i % 2 == 0 ? 1.0f : inner;
        line.push_back({r * std::cos(t), r * std::sin(t)});
    }
    return line;
}

// What a generator draws: polylines stroked with the brush and contours filled.
struct Drawing {
    std::vector<Polyline> open_strokes, closed_strokes;  // unit box
    std::vector<Polyline> filled;                        // unit box, nonzero winding
    float brush_fraction = 0;  // brush width / drawing size; 0 = random_brush
};

// ============================================================================================
// 2. Strokes: zigzags, spirals, random walks, crossing strokes
// ============================================================================================

Drawing zigzag(std::mt19937_64& rng) {
    const int segments = uniform_int(rng, 4, 10);
    const float amplitude = uniform(rng, 0.3f, 1.0f);
    Polyline line;
    for (int i = 0; i <= segments; ++i) {
        line.push_back({-1 + 2.0f * i / segments + uniform(rng, -0.1f, 0.1f),
                        (i % 2 == 0 ? -amplitude : amplitude) + uniform(rng, -0.15f, 0.15f)});
    }
    return {{line}, {}, {}};
}

Drawing spiral(std::mt19937_64& rng) {
    const float turns = uniform(rng, 2.0f, 4.0f), power = uniform(rng, 0.7f, 1.3f);
    const float squash = uniform(rng, 0.6f, 1.0f), phase = uniform(rng, 0, 2 * kPi);
    const float direction = chance(rng, 0.5) ? 1.0f : -1.0f;
    const int points = static_cast<int>(40 * turns);
    Polyline line;
    for (int i = 0; i <= points; ++i) {
        const float fraction = static_cast<float>(i) / points, angle = direction * 2 * kPi * turns * fraction + phase;
        const float radius = std::pow(fraction, power);
        line.push_back({radius * std::cos(angle), squash * radius * std::sin(angle)});
    }
    return {{line}, {}, {}};
}

// Redrawn until its bounding box is at least 0.4 as wide as long: a thin wavy line is a one.
Drawing random_walk(std::mt19937_64& rng) {
    for (;;) {
        const int steps = uniform_int(rng, 40, 150);
        std::normal_distribution<float> turn(0.0f, uniform(rng, 0.35f, 0.9f));
        float angle = uniform(rng, 0, 2 * kPi), x = 0, y = 0;
        float x_low = 0, x_high = 0, y_low = 0, y_high = 0;
        Polyline line{{x, y}};
        for (int i = 0; i < steps; ++i) {
            angle += turn(rng);
            x += std::cos(angle), y += std::sin(angle);
            x_low = std::min(x_low, x), x_high = std::max(x_high, x);
            y_low = std::min(y_low, y), y_high = std::max(y_high, y);
            line.push_back({x, y});
        }
        const float width = x_high - x_low, height = y_high - y_low;
        if (std::min(width, height) < 0.4f * std::max(width, height)) continue;
        std::vector<Polyline> lines{line};
        fit_unit_box(lines);
        return {lines, {}, {}};
    }
}

Drawing crossing_strokes(std::mt19937_64& rng) {
    Drawing drawing;
    const int strokes = uniform_int(rng, 3, 6);
    while (static_cast<int>(drawing.open_strokes.size()) < strokes) {
        const CanvasPoint a{uniform(rng, -1, 1), uniform(rng, -1, 1)}, b{uniform(rng, -1, 1), uniform(rng, -1, 1)};
        if (std::hypot(a.x - b.x, a.y - b.y) >= 0.8f) drawing.open_strokes.push_back({a, b});
    }
    return drawing;
}

// ============================================================================================
// 3. Shapes: outlines and filled
// ============================================================================================

// Square or wide rectangle, triangle, star, '+', 'x', '#', arrow, or two or three rings / a
// ring with a cross (a single ring would be a zero). `max_angle` limits the rotation of shapes
// that rotation could turn into a digit (a tall rectangle, a '+' turned into an 'x').
Drawing shape_outline(std::mt19937_64& rng, float& max_angle) {
    Drawing drawing;
    switch (uniform_int(rng, 0, 7)) {
        case 0: {
            const float height = uniform(rng, 0.55f, 1.0f);
            drawing.closed_strokes.push_back({{-1, -height}, {1, -height}, {1, height}, {-1, height}});
            max_angle = 0.4f;
            break;
        }
        case 1: {
            Polyline triangle;
            for (int i = 0; i < 3; ++i) {
                const float t = 2 * kPi * i / 3 - kPi / 2 + uniform(rng, -0.3f, 0.3f);
                triangle.push_back({std::cos(t), std::sin(t)});
            }
            drawing.closed_strokes.push_back(triangle);
            break;
        }
        case 2: drawing.closed_strokes.push_back(star(uniform_int(rng, 4, 7), uniform(rng, 0.3f, 0.55f))); break;
        case 3: {
            const float bar = uniform(rng, -0.3f, 0.3f);
            drawing.open_strokes = {{{-1, bar}, {1, bar}}, {{bar, -1}, {bar, 1}}};
            max_angle = 0.25f;
            break;
        }
        case 4:
            drawing.open_strokes = {{{-1, -1}, {1, 1}}, {{1, -1}, {-1, 1}}};
            max_angle = 0.25f;
            break;
        case 5: {
            const float a = uniform(rng, 0.25f, 0.5f), slant = uniform(rng, 0.0f, 0.3f);
            drawing.open_strokes = {{{-a + slant, -1}, {-a - slant, 1}}, {{a + slant, -1}, {a - slant, 1}},
                                    {{-1, -a}, {1, -a}}, {{-1, a}, {1, a}}};
            max_angle = 0.3f;
            break;
        }
        case 6: {
            const float head = uniform(rng, 0.3f, 0.6f), spread = uniform(rng, 0.25f, 0.5f);
            drawing.open_strokes = {{{-1, 0}, {1, 0}}, {{1 - head, -spread}, {1, 0}, {1 - head, spread}}};
            break;
        }
        default: {
            drawing.closed_strokes.push_back(ellipse(0, 0, 1, 1));
            if (chance(rng, 0.5)) {
                drawing.closed_strokes.push_back(ellipse(0, 0, 0.55f, 0.55f));
                if (chance(rng, 0.5)) drawing.closed_strokes.push_back(ellipse(0, 0, 0.2f, 0.2f));
            } else {
                const float r = 0.7071f;  // an 'x' touching the ring, or a '+'
                drawing.open_strokes = chance(rng, 0.5) ? std::vector<Polyline>{{{-r, -r}, {r, r}}, {{r, -r}, {-r, r}}}
                                                        : std::vector<Polyline>{{{-1, 0}, {1, 0}}, {{0, -1}, {0, 1}}};
            }
        }
    }
    return drawing;
}

// Disc, ellipse, rectangle, triangle or star, filled; none thinner than half its length.
Drawing shape_filled(std::mt19937_64& rng) {
    Drawing drawing;
    const float aspect = uniform(rng, 0.5f, 1.0f);
    switch (uniform_int(rng, 0, 3)) {
        case 0: drawing.filled.push_back(ellipse(0, 0, 1, aspect)); break;
        case 1: drawing.filled.push_back({{-1, -aspect}, {1, -aspect}, {1, aspect}, {-1, aspect}}); break;
        case 2: drawing.filled.push_back({{-1, aspect}, {1, aspect}, {uniform(rng, -1, 1), -aspect}}); break;
        default: drawing.filled.push_back(star(uniform_int(rng, 4, 7), uniform(rng, 0.35f, 0.6f)));
    }
    return drawing;
}

// ============================================================================================
// 4. Letters from DejaVu fonts (stb_truetype)
// ============================================================================================

struct Fonts {
    std::vector<std::vector<std::uint8_t>> bytes;  // one font file each; `faces` point into them
    std::vector<stbtt_fontinfo> faces;
    std::string error;  // why no font could be read, when `faces` is empty
};

const Fonts& fonts() {
    static const Fonts loaded = [] {
        Fonts result;
        const std::string dir = nondigit_font_dir();
        const char* files[] = {"DejaVuSans.ttf",  "DejaVuSans-Bold.ttf",  "DejaVuSansMono.ttf",
                               "DejaVuSansMono-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"};
        result.bytes.reserve(std::size(files));
        for (const char* file : files) {
            const std::string path = dir + "/" + file;
            try {
                result.bytes.push_back(read_binary_file(path, kMaxFontBytes));
            } catch (const Error&) {
                continue;  // a missing face leaves fewer styles; none at all is reported below
            }
            stbtt_fontinfo face;
            const unsigned char* data = result.bytes.back().data();
            if (!stbtt_InitFont(&face, data, stbtt_GetFontOffsetForIndex(data, 0))) {
                result.error = path + " is not a TrueType font stb_truetype can read";
                result.bytes.pop_back();
                continue;
            }
            result.faces.push_back(face);
        }
        if (result.faces.empty() && result.error.empty()) {
            result.error = "no DejaVu font (DejaVuSans.ttf, ...) found in " + dir +
                           "; install fonts-dejavu-core or set FCNET_FONT_DIR";
        }
        return result;
    }();
    return loaded;
}

const std::vector<int>& letters() {
    static const std::vector<int> codepoints = [] {
        std::vector<int> result;
        for (int c = 'A'; c <= 'z'; ++c) {
            if (std::isalpha(c) && std::strchr(kDigitLikeGlyphs, c) == nullptr) result.push_back(c);
        }
        return result;
    }();
    return codepoints;
}

// The glyph's outline as closed polylines (quadratic and cubic curves cut into 8 straight
// pieces each), y down.
std::vector<Polyline> glyph_contours(const stbtt_fontinfo& face, int codepoint) {
    stbtt_vertex* vertices = nullptr;
    const int count = stbtt_GetCodepointShape(&face, codepoint, &vertices);
    std::vector<Polyline> contours;
    CanvasPoint pen;
    for (int i = 0; i < count; ++i) {
        const stbtt_vertex& v = vertices[i];
        const CanvasPoint to{static_cast<float>(v.x), -static_cast<float>(v.y)};
        if (v.type == STBTT_vmove || contours.empty()) {
            contours.emplace_back();
        } else if (v.type == STBTT_vcurve || v.type == STBTT_vcubic) {
            const CanvasPoint c0{static_cast<float>(v.cx), -static_cast<float>(v.cy)};
            const CanvasPoint c1{static_cast<float>(v.cx1), -static_cast<float>(v.cy1)};
            for (int step = 1; step < 8; ++step) {
                const float t = step / 8.0f, s = 1 - t;
                if (v.type == STBTT_vcurve) {  // quadratic Bezier pen -> c0 -> to
                    contours.back().push_back({s * s * pen.x + 2 * s * t * c0.x + t * t * to.x,
                                               s * s * pen.y + 2 * s * t * c0.y + t * t * to.y});
                } else {  // cubic Bezier pen -> c0 -> c1 -> to
                    contours.back().push_back(
                        {s * s * s * pen.x + 3 * s * s * t * c0.x + 3 * s * t * t * c1.x + t * t * t * to.x,
                         s * s * s * pen.y + 3 * s * s * t * c0.y + 3 * s * t * t * c1.y + t * t * t * to.y});
                }
            }
        }
        contours.back().push_back(to);
        pen = to;
    }
    stbtt_FreeShape(&face, vertices);
    contours.erase(std::remove_if(contours.begin(), contours.end(), [](const Polyline& c) { return c.size() < 3; }),
                   contours.end());
    return contours;
}

// A random allowed letter in a random face: usually filled and thickened by stroking its
// outline (up to 10% of its size), sometimes hollow (only the outline, thin).
Drawing letter(std::mt19937_64& rng) {
    const Fonts& loaded = fonts();
    if (loaded.faces.empty()) throw Error("non-digit letters: " + loaded.error);
    const stbtt_fontinfo& face = loaded.faces[uniform_int(rng, 0, static_cast<int>(loaded.faces.size()) - 1)];
    const std::vector<int>& codepoints = letters();
    std::vector<Polyline> contours =
        glyph_contours(face, codepoints[uniform_int(rng, 0, static_cast<int>(codepoints.size()) - 1)]);
    fit_unit_box(contours);
    Drawing drawing;
    drawing.closed_strokes = contours;
    if (chance(rng, 0.75)) {
        drawing.filled = contours;
        drawing.brush_fraction = uniform(rng, 0.005f, 0.1f);
    } else {
        drawing.brush_fraction = log_uniform(rng, 0.015f, 0.05f);
    }
    return drawing;
}

// ============================================================================================
// 5. Blobs, solid fills and textures
// ============================================================================================

// One to three smooth random blobs, r(t) = R (1 + sum_k a_k cos(k t + phase_k)) for k = 2..5
// with sum |a_k| <= 0.6, overlapping; or (one time in four) a solid rectangle covering a large
// part of the canvas.
void paint_blob(std::mt19937_64& rng, GrayCanvas& canvas, float ink) {
    if (chance(rng, 0.25)) {
        const float side = kNonDigitCanvas;
        const float left = uniform(rng, -0.2f, 0.4f) * side, top = uniform(rng, -0.2f, 0.4f) * side;
        const float right = left + uniform(rng, 0.5f, 1.0f) * side, bottom = top + uniform(rng, 0.5f, 1.0f) * side;
        fill_contours(canvas, {{{left, top}, {right, top}, {right, bottom}, {left, bottom}}}, ink);
        return;
    }
    std::vector<Polyline> blobs;
    const int count = uniform_int(rng, 1, 3);
    for (int b = 0; b < count; ++b) {
        const float radius = b == 0 ? 1.0f : uniform(rng, 0.4f, 1.0f);
        const float x = b == 0 ? 0 : uniform(rng, -0.8f, 0.8f), y = b == 0 ? 0 : uniform(rng, -0.8f, 0.8f);
        std::array<float, 4> amplitude{}, phase{};
        for (int k = 0; k < 4; ++k) amplitude[k] = uniform(rng, -0.15f, 0.15f), phase[k] = uniform(rng, 0, 2 * kPi);
        Polyline blob;
        for (int i = 0; i < 64; ++i) {
            const float t = 2 * kPi * i / 64;
            float r = 1;
            for (int k = 0; k < 4; ++k) r += amplitude[k] * std::cos((k + 2) * t + phase[k]);
            blob.push_back({x + radius * r * std::cos(t), y + radius * r * std::sin(t)});
        }
        blobs.push_back(blob);
    }
    fit_unit_box(blobs);
    // Blobs are filled one by one so their overlaps do not cancel.
    const Placement placement = random_placement(rng, kPi);
    for (const Polyline& blob : blobs) fill_contours(canvas, {placement(blob)}, ink);
}

// A patch of pixel noise or blocky noise (axis-aligned, 30 to 110 px a side, the longer at most
// twice the shorter: a tall narrow patch is a one), or hatching
// (4-9 parallel strokes, crossed by as many half the time).
void paint_texture(std::mt19937_64& rng, GrayCanvas& canvas, float ink) {
    const int mode = uniform_int(rng, 0, 2);
    if (mode == 2) {
        const Placement placement = random_placement(rng, kPi);
        const int lines = uniform_int(rng, 4, 9);
        const float spacing = 2 * placement.half_extent / (lines - 1);
        const float brush = std::max(1.0f, spacing * uniform(rng, 0.15f, 0.5f));
        const bool crossed = chance(rng, 0.5);
        for (int i = 0; i < lines; ++i) {
            const float at = -1 + 2.0f * i / (lines - 1);
            stroke_polyline(canvas, {placement(-1, at), placement(1, at)}, brush, ink);
            if (crossed) stroke_polyline(canvas, {placement(at, -1), placement(at, 1)}, brush, ink);
        }
        return;
    }
    const int width = uniform_int(rng, 30, 110);
    const int height = uniform_int(rng, std::max(30, (width + 1) / 2), std::min(110, 2 * width));
    const int left = uniform_int(rng, 0, kNonDigitCanvas - width), top = uniform_int(rng, 0, kNonDigitCanvas - height);
    const int cell = mode == 0 ? 1 : uniform_int(rng, 3, 14);
    const float gamma = uniform(rng, 0.5f, 2.0f), density = uniform(rng, 0.5f, 0.8f);
    std::vector<float> cells(static_cast<std::size_t>((width + cell - 1) / cell) * ((height + cell - 1) / cell));
    for (float& coverage : cells) {
        coverage = mode == 0 ? std::pow(uniform(rng, 0, 1), gamma) : (chance(rng, density) ? uniform(rng, 0.5f, 1) : 0);
    }
    const int cells_across = (width + cell - 1) / cell;
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            float& value = canvas.at(left + x, top + y);
            value += (ink - value) * cells[static_cast<std::size_t>(y / cell) * cells_across + x / cell];
        }
    }
}

// ============================================================================================
// 6. Rendering, preprocessing and the dataset
// ============================================================================================

void paint(GrayCanvas& canvas, const Drawing& drawing, const Placement& placement, float brush, float ink) {
    if (!drawing.filled.empty()) {
        std::vector<Polyline> contours;
        for (const Polyline& contour : drawing.filled) contours.push_back(placement(contour));
        fill_contours(canvas, contours, ink);
    }
    for (const Polyline& line : drawing.closed_strokes) stroke_polyline(canvas, placement(line), brush, ink, true);
    for (const Polyline& line : drawing.open_strokes) stroke_polyline(canvas, placement(line), brush, ink);
}

// What draws a letter: letter() above, or nothing where the font code must stay out of the
// binary (render_nondigit_without_fonts: only what a function refers to is linked).
using LetterDrawer = Drawing (*)(std::mt19937_64& rng);

void draw_kind(std::mt19937_64& rng, NonDigitKind kind, GrayCanvas& canvas, float ink, LetterDrawer letters) {
    Drawing drawing;
    float max_angle = kPi;
    switch (kind) {
        case NonDigitKind::zigzag: drawing = zigzag(rng); break;
        case NonDigitKind::spiral: drawing = spiral(rng); break;
        case NonDigitKind::random_walk: drawing = random_walk(rng); break;
        case NonDigitKind::crossing_strokes: drawing = crossing_strokes(rng); break;
        case NonDigitKind::shape_outline: drawing = shape_outline(rng, max_angle); break;
        case NonDigitKind::shape_filled: drawing = shape_filled(rng); break;
        case NonDigitKind::letter:
            if (letters == nullptr) throw Error("render_nondigit_without_fonts: letters need the fonts");
            drawing = letters(rng), max_angle = 0.3f;
            break;
        case NonDigitKind::blob: paint_blob(rng, canvas, ink); return;
        case NonDigitKind::texture: paint_texture(rng, canvas, ink); return;
    }
    Placement placement = random_placement(rng, max_angle);
    if (kind == NonDigitKind::letter) placement.shear = uniform(rng, -0.3f, 0.3f);
    const float brush = drawing.brush_fraction > 0
                            ? std::max(1.0f, 2 * placement.half_extent * drawing.brush_fraction)
                            : random_brush(rng, placement);
    paint(canvas, drawing, placement, brush, ink);
}

}  // namespace

const char* nondigit_kind_name(NonDigitKind kind) {
    switch (kind) {
        case NonDigitKind::zigzag: return "zigzag";
        case NonDigitKind::spiral: return "spiral";
        case NonDigitKind::random_walk: return "random_walk";
        case NonDigitKind::crossing_strokes: return "crossing_strokes";
        case NonDigitKind::shape_outline: return "shape_outline";
        case NonDigitKind::shape_filled: return "shape_filled";
        case NonDigitKind::letter: return "letter";
        case NonDigitKind::blob: return "blob";
        case NonDigitKind::texture: return "texture";
    }
    return "unknown";
}

std::string nondigit_font_dir() {
    const char* dir = std::getenv("FCNET_FONT_DIR");
    return dir != nullptr && *dir != '\0' ? dir : "/usr/share/fonts/truetype/dejavu";
}

namespace {

// render_nondigit_of_kind with letters drawn by `letters`.
void render_with(std::mt19937_64& rng, NonDigitKind kind, float* out784, LetterDrawer letters) {
    for (int attempt = 0; attempt < kMaxTries; ++attempt) {
        // Ink and background: a contrast of 0.5 to 1 either way round.
        const Polarity polarity = chance(rng, 0.5) ? Polarity::light_on_dark : Polarity::dark_on_light;
        const float contrast = uniform(rng, 0.5f, 1.0f);
        const float background = polarity == Polarity::light_on_dark ? uniform(rng, 0, 1 - contrast)
                                                                     : uniform(rng, contrast, 1);
        const float ink = polarity == Polarity::light_on_dark ? background + contrast : background - contrast;
        GrayCanvas canvas(kNonDigitCanvas, kNonDigitCanvas, background);
        draw_kind(rng, kind, canvas, std::clamp(ink, 0.0f, 1.0f), letters);
        for (float& value : canvas.values) value = std::clamp(value, 0.0f, 1.0f);
        const DigitImage image = preprocess_drawing(canvas.values.data(), canvas.width, canvas.height);
        if (image.empty) continue;
        std::copy(image.pixels.begin(), image.pixels.end(), out784);
        return;
    }
    throw Error(std::string("render_nondigit: ") + std::to_string(kMaxTries) + " drawings of kind " +
                nondigit_kind_name(kind) + " in a row preprocessed to empty images");
}

}  // namespace

void render_nondigit_of_kind(std::mt19937_64& rng, NonDigitKind kind, float* out784) {
    render_with(rng, kind, out784, letter);
}

void render_nondigit_without_fonts(std::mt19937_64& rng, NonDigitKind kind, float* out784) {
    render_with(rng, kind, out784, nullptr);
}

void render_nondigit(std::mt19937_64& rng, float* out784, NonDigitKind* kind_out) {
    const auto kind = static_cast<NonDigitKind>(uniform_int(rng, 0, kNonDigitKinds - 1));
    if (kind_out != nullptr) *kind_out = kind;
    render_nondigit_of_kind(rng, kind, out784);
}

NonDigitKind nondigit_kind_of_sample(int index) { return static_cast<NonDigitKind>(index % kNonDigitKinds); }

Dataset make_nondigit_set(int count, std::uint64_t seed, int label) {
    if (count < 0 || label < 0) {
        throw Error("make_nondigit_set: count is " + std::to_string(count) + " and label " + std::to_string(label) +
                    "; both must be at least 0");
    }
    Dataset set;
    set.features = large_matrix(count, kDigitPixels);  // count x 784
    set.features.setZero();
    set.labels.assign(count, label);
    set.classes = label + 1;
    set.name = "generated non-digits (seed " + std::to_string(seed) + ")";
    std::string failure;
    std::mutex failure_mutex;
    // Samples in parallel when built with OpenMP; Eigen inside preprocess_drawing then stays
    // on one thread (its own OpenMP threads make a 140 x 140 drawing several times slower).
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 16)
#endif
    for (int i = 0; i < count; ++i) {
        std::seed_seq sample_seed{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                                  static_cast<std::uint32_t>(i)};
        std::mt19937_64 rng(sample_seed);
        try {
            render_nondigit_of_kind(rng, nondigit_kind_of_sample(i), set.features.row(i).data());
        } catch (const Error& error) {
            const std::lock_guard<std::mutex> lock(failure_mutex);
            failure = error.what();
        }
    }
    if (!failure.empty()) throw Error(failure);
    return set;
}

}  // namespace fcnet
