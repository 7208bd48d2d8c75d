// The app's window: the drawing canvas and the panels around it (prediction, bars, 28x28, model).
#pragma once

#include <string>
#include <vector>

#include "app/app_state.h"

struct ImFont;

namespace fcnet::app {

struct Fonts {
    ImFont* text = nullptr;    // labels and numbers
    ImFont* large = nullptr;   // the predicted digit
};

// Where the canvas widget was drawn in the last frame, in window coordinates (CSS pixels in
// the browser): what the page's automation API reports.
struct CanvasRect {
    float x = 0, y = 0, side = 0;
};

// A button drawn in the last frame: its label and rectangle, in window coordinates.
struct ButtonRect {
    std::string label;
    float x = 0, y = 0, width = 0, height = 0;
};

// Where the last frame drew the canvas widget and the buttons (those of a disabled row too).
struct FrameLayout {
    CanvasRect canvas;
    std::vector<ButtonRect> buttons;
};

// The model panel's rows as it shows them: layers, weights, the recorded test accuracies,
// temperature, rejection threshold.
std::vector<ModelFact> model_panel_rows(const ModelInfo& info);

// Lays out and draws one frame of the app's UI into the current ImGui frame, feeding pointer
// and key input to `state`. Returns where the canvas widget and the buttons are.
FrameLayout draw_app(AppState& state, const Fonts& fonts);

}  // namespace fcnet::app
