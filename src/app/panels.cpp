// The app's window: the drawing canvas and the panels around it (prediction, bars, 28x28, model).
//
// Sections:
//   1. layout: canvas left of the panels, the 28x28 view and model facts under it when they fit
//      (wide windows), or canvas above the panels (tall windows)
//   2. the canvas widget: pointer input to strokes, strokes drawn as the user sees them
//   3. panels: prediction, controls, probabilities, corrections, network input, model
// (The Undo and Clear keys are read from SDL's events in main.cpp.)
#include "app/panels.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <imgui.h>

#include "app/platform.h"

namespace fcnet::app {

namespace {

const ImU32 kInkColor = IM_COL32(255, 255, 255, 255);
const ImU32 kPaperColor = IM_COL32(0, 0, 0, 255);
const ImU32 kFrameColor = IM_COL32(110, 110, 128, 255);
const ImVec4 kDimText(0.6f, 0.6f, 0.65f, 1.0f);
const ImVec4 kErrorText(1.0f, 0.4f, 0.4f, 1.0f);
const ImVec4 kBar(0.30f, 0.50f, 0.85f, 1.0f);
const ImVec4 kBestBar(0.26f, 0.75f, 0.42f, 1.0f);

// ImGui::Button that also records where it was drawn, for the page's automation API.
bool button(const char* label, std::vector<ButtonRect>& buttons) {
    const bool pressed = ImGui::Button(label);
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    buttons.push_back({label, min.x, min.y, max.x - min.x, max.y - min.y});
    return pressed;
}

// ==== 2. the canvas widget ==============================================================

CanvasRect draw_canvas(AppState& state, float side) {
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 corner(origin.x + side, origin.y + side);
    const float scale = side / kRasterSide;  // screen pixels per raster pixel

    ImGui::InvisibleButton("canvas", ImVec2(side, side));
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const Point at{(mouse.x - origin.x) / scale, (mouse.y - origin.y) / scale};
    Drawing& drawing = state.drawing;
    if (ImGui::IsItemActivated()) {
        drawing.begin_stroke(at, state.brush_radius);
    } else if (ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        drawing.extend_stroke(at);
    } else if (drawing.drawing_stroke()) {
        drawing.end_stroke();
    }

    draw_list->AddRectFilled(origin, corner, kPaperColor);
    draw_list->PushClipRect(origin, corner, true);
    for (const Stroke& stroke : drawing.strokes()) {
        const float radius = stroke.radius * scale;
        std::vector<ImVec2> points;
        points.reserve(stroke.points.size());
        for (const Point& p : stroke.points) points.emplace_back(origin.x + p.x * scale, origin.y + p.y * scale);
        // Thick polylines, split at turns sharper than 45 degrees (where mitred joins would spike),
        // with discs at the ends and at those turns for round caps and joins.
        draw_list->AddCircleFilled(points.front(), radius, kInkColor);
        std::size_t run_start = 0;
        for (std::size_t i = 1; i < points.size(); ++i) {
            bool sharp_turn = false;
            if (i + 1 < points.size()) {
                const ImVec2 in(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
                const ImVec2 out(points[i + 1].x - points[i].x, points[i + 1].y - points[i].y);
                const float dot = in.x * out.x + in.y * out.y;
                const float lengths = std::sqrt((in.x * in.x + in.y * in.y) * (out.x * out.x + out.y * out.y));
                sharp_turn = dot < 0.7f * lengths;  // cos(angle) < ~cos(45 degrees)
            }
            if (!sharp_turn && i + 1 < points.size()) continue;
            draw_list->AddPolyline(&points[run_start], static_cast<int>(i - run_start + 1), kInkColor, 0, 2 * radius);
            draw_list->AddCircleFilled(points[i], radius, kInkColor);
            run_start = i;
        }
    }
    if (drawing.empty()) {
        const char* hint = "draw a digit here";
        const ImVec2 size = ImGui::CalcTextSize(hint);
        draw_list->AddText(ImVec2(origin.x + (side - size.x) / 2, origin.y + (side - size.y) / 2),
                           IM_COL32(120, 120, 130, 255), hint);
    }
    draw_list->PopClipRect();
    draw_list->AddRect(origin, corner, kFrameColor);
    return {origin.x, origin.y, side};
}

// ==== 3. panels =========================================================================

void heading(const char* text) {
    ImGui::Spacing();
    ImGui::TextColored(kDimText, "%s", text);
    ImGui::Separator();
}

void prediction_panel(const AppState& state, const Fonts& fonts) {
    const DigitPrediction& prediction = state.prediction();
    ImGui::PushFont(fonts.large);
    if (prediction.empty) {
        ImGui::TextColored(kDimText, "?");
    } else if (!prediction.is_digit) {
        ImGui::TextColored(kDimText, "%d", prediction.digit);
    } else {
        ImGui::Text("%d", prediction.digit);
    }
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::Dummy(ImVec2(0, ImGui::GetTextLineHeight()));
    if (prediction.empty) {
        ImGui::Text("draw a digit");
        ImGui::TextColored(kDimText, "mouse, finger or pen");
    } else if (!prediction.is_digit) {
        ImGui::Text("not a digit");
        ImGui::TextColored(kDimText, "closest: %d at %.1f%%", prediction.digit, 100 * prediction.confidence);
    } else {
        ImGui::Text("confidence %.1f%%", 100 * prediction.confidence);
        ImGui::TextColored(kDimText, state.calibrated ? "calibrated" : "raw softmax");
    }
    ImGui::EndGroup();
}

void controls_panel(AppState& state, std::vector<ButtonRect>& buttons) {
    ImGui::SetNextItemWidth(std::max(120.0f, ImGui::GetContentRegionAvail().x * 0.45f));
    ImGui::SliderFloat("brush", &state.brush_radius, 4.0f, 24.0f, "%.0f px");
    if (button("Undo", buttons)) state.drawing.undo();
    ImGui::SameLine();
    if (button("Clear", buttons)) state.drawing.clear();
    ImGui::SameLine();
    ImGui::TextColored(kDimText, "keys: Ctrl+Z / Backspace, C / Del");
    const ModelInfo& info = state.model_info();
    char calibrated_label[64];
    std::snprintf(calibrated_label, sizeof calibrated_label, "calibrated (T = %.2f)", info.temperature);
    if (ImGui::RadioButton(calibrated_label, state.calibrated)) state.calibrated = true;
    ImGui::SameLine();
    if (ImGui::RadioButton("raw softmax (T = 1)", !state.calibrated)) state.calibrated = false;
}

void probabilities_panel(const AppState& state) {
    const DigitPrediction& prediction = state.prediction();
    for (int digit = 0; digit < kDigitClasses; ++digit) {
        const float p = prediction.probabilities[digit];
        char label[16];
        std::snprintf(label, sizeof label, "%.1f%%", 100 * p);
        ImGui::Text("%d", digit);
        ImGui::SameLine();
        const bool best = !prediction.empty && digit == prediction.digit;
        ImGui::PushStyleColor(ImGuiCol_PlotHistogram, best ? kBestBar : kBar);
        ImGui::ProgressBar(p, ImVec2(-1, 0), label);
        ImGui::PopStyleColor();
    }
}

// "It was..." buttons that teach the model the current drawing, the corrections count, and
// Forget / Download (the download itself is the page's: AppState::download_requested).
void corrections_panel(AppState& state, std::vector<ButtonRect>& buttons) {
    if (!state.notice().empty()) ImGui::TextWrapped("%s", state.notice().c_str());
    if (!state.can_learn()) return;
    const DigitPrediction& prediction = state.prediction();
    ImGui::BeginDisabled(prediction.empty);
    for (int digit = 0; digit < kDigitClasses; ++digit) {
        char label[8];
        std::snprintf(label, sizeof label, "%d", digit);
        if (digit > 0) ImGui::SameLine();
        if (button(label, buttons)) state.learn(digit);
    }
    if (has_rejection_class(state.model())) {
        ImGui::SameLine();
        if (prediction.empty || prediction.is_digit) {
            if (button("not a digit", buttons)) state.learn(kDigitClasses);
        } else {
            char label[32];
            std::snprintf(label, sizeof label, "it is a %d", prediction.digit);
            if (button(label, buttons)) state.learn(prediction.digit);
        }
    }
    ImGui::EndDisabled();
    if (state.corrections() == 0) {
        ImGui::TextColored(kDimText, "no corrections yet");
    } else {
        ImGui::Text("%d learned (%.0f ms)", state.corrections(), state.last_learn_ms());
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(state.corrections() == 0);
    if (button("Forget my handwriting", buttons)) state.forget();
    ImGui::EndDisabled();
    if (platform::kIsWeb) {
        const char* download = "Download model";
        ImGui::SameLine();
        if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(download).x + 2 * ImGui::GetStyle().FramePadding.x) {
            ImGui::NewLine();  // no room left on this line
        }
        if (button(download, buttons)) state.download_requested = true;
    }
}

void network_input_panel(const AppState& state, float side) {
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float cell = side / kDigitSide;
    const DigitImage& image = state.network_input();
    draw_list->AddRectFilled(origin, ImVec2(origin.x + side, origin.y + side), kPaperColor);
    for (int y = 0; y < kDigitSide; ++y) {
        for (int x = 0; x < kDigitSide; ++x) {
            const float v = image.pixels[static_cast<std::size_t>(y) * kDigitSide + x];
            if (v <= 0) continue;
            const int level = static_cast<int>(v * 255 + 0.5f);
            const ImVec2 a(origin.x + x * cell, origin.y + y * cell);
            draw_list->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), IM_COL32(level, level, level, 255));
        }
    }
    draw_list->AddRect(origin, ImVec2(origin.x + side, origin.y + side), kFrameColor);
    ImGui::Dummy(ImVec2(side, side));
}

void model_panel(const AppState& state) {
    if (!ImGui::BeginTable("model", 2, ImGuiTableFlags_SizingFixedFit)) return;
    for (const ModelFact& row : model_panel_rows(state.model_info())) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextColored(kDimText, "%s", row.label.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(row.value.c_str());
    }
    ImGui::EndTable();
}

constexpr float kViewSide = 4.0f * kDigitSide;  // the 28x28 view, 4 screen pixels a network pixel

// Width the model facts take: "over all 11 outputs  784-1600-832-11".
float model_width() { return 17.0f * ImGui::GetFontSize(); }

// Width of the 28x28 view and the model facts side by side, the gap between them included.
float side_by_side_width() { return kViewSide + 3 * ImGui::GetStyle().ItemSpacing.x + model_width(); }

// Width and height of the 28x28 view and the model facts side by side, headings included.
ImVec2 input_and_model_size(const AppState& state) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float heading_height = 2 * style.ItemSpacing.y + ImGui::GetTextLineHeightWithSpacing() + 1;
    const float rows = static_cast<float>(model_panel_rows(state.model_info()).size());
    const float table_height = rows * (ImGui::GetTextLineHeight() + 2 * style.CellPadding.y);
    return {side_by_side_width(),
            heading_height + std::max(kViewSide, table_height) + style.ItemSpacing.y};
}

// The 28x28 view and the model facts: side by side when the row has room, else one below the other.
void input_and_model(const AppState& state) {
    if (ImGui::GetContentRegionAvail().x >= side_by_side_width()) {
        ImGui::BeginGroup();
        heading("Input 28x28");
        network_input_panel(state, kViewSide);
        ImGui::EndGroup();
        ImGui::SameLine(0, ImGui::GetStyle().ItemSpacing.x * 3);
        ImGui::BeginGroup();
        heading("Model");
        model_panel(state);
        ImGui::EndGroup();
    } else {
        heading("Input 28x28");
        network_input_panel(state, kViewSide);
        heading("Model");
        model_panel(state);
    }
}

// The prediction, the drawing controls, the bars and the corrections; then the 28x28 view and the
// model facts unless the layout put them under the canvas.
void panels(AppState& state, const Fonts& fonts, std::vector<ButtonRect>& buttons, bool with_input_and_model) {
    if (!state.error().empty()) ImGui::TextColored(kErrorText, "%s", state.error().c_str());
    prediction_panel(state, fonts);
    heading("Drawing");
    controls_panel(state, buttons);
    heading("Probabilities");
    probabilities_panel(state);
    heading("Wrong? Press what it was");
    corrections_panel(state, buttons);
    if (with_input_and_model) input_and_model(state);
}

}  // namespace

std::vector<ModelFact> model_panel_rows(const ModelInfo& info) {
    char parameters[32], temperature[32];
    std::snprintf(parameters, sizeof parameters, "%lld", static_cast<long long>(info.parameters));
    std::snprintf(temperature, sizeof temperature, "%.3f", info.temperature);
    std::vector<ModelFact> rows = {{"layers", info.architecture}, {"weights", parameters}};
    rows.insert(rows.end(), info.accuracy.begin(), info.accuracy.end());
    rows.push_back({"temperature", temperature});
    rows.push_back({"reject below", info.reject_confidence});
    return rows;
}

// ==== 1. layout =========================================================================

FrameLayout draw_app(AppState& state, const Fonts& fonts) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                   ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::Begin("fcnet", nullptr, flags);

    if (!state.model_loaded()) {
        ImGui::TextColored(kErrorText, "Could not load the model");
        ImGui::TextWrapped("%s", state.error().c_str());
        ImGui::End();
        return {};
    }

    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float spacing = ImGui::GetStyle().ItemSpacing.x * 2;
    const float min_panel_width = 26.0f * ImGui::GetFontSize();
    const bool wide = avail.x > avail.y;  // landscape: canvas left, panels right
    FrameLayout layout;
    if (wide) {
        // Beside the panels, as tall as the window allows; the 28x28 view and the model facts go
        // under the canvas when they fit there, so the panels fit a window as short as 720 px.
        const ImVec2 below = input_and_model_size(state);
        const float side = std::min(avail.y, avail.x - min_panel_width - spacing);
        const float side_above = std::min(avail.y - below.y, side);
        const bool under_canvas = side_above >= below.x;
        ImGui::BeginGroup();
        layout.canvas = draw_canvas(state, std::max(64.0f, under_canvas ? side_above : side));
        state.update();  // after the canvas took this frame's input, before anything shows it
        if (under_canvas) {  // in a child as wide as the canvas, so its headings' lines end there too
            ImGui::BeginChild("input and model", ImVec2(side_above, below.y), false, ImGuiWindowFlags_NoScrollbar);
            input_and_model(state);
            ImGui::EndChild();
        }
        ImGui::EndGroup();
        ImGui::SameLine(0, spacing);
        ImGui::BeginChild("panels", ImVec2(0, 0));
        panels(state, fonts, layout.buttons, !under_canvas);
    } else {
        const float side = std::max(64.0f, std::min(avail.x, avail.y * 0.6f));
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail.x - side) / 2);
        layout.canvas = draw_canvas(state, side);
        state.update();  // after the canvas took this frame's input, before the panels show it
        ImGui::BeginChild("panels", ImVec2(0, 0));
        panels(state, fonts, layout.buttons, true);
    }
    ImGui::EndChild();
    ImGui::End();
    return layout;
}

}  // namespace fcnet::app
