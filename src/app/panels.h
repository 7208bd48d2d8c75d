// The app's window: the drawing canvas and the panels around it (prediction, bars, 28x28, model).
#pragma once

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

// Lays out and draws one frame of the app's UI into the current ImGui frame, feeding pointer
// and key input to `state`. Returns the canvas widget's rectangle.
CanvasRect draw_app(AppState& state, const Fonts& fonts);

}  // namespace fcnet::app
