// The page's automation API, window.fcnetApp (browser only; the desktop build has none).
#pragma once

#include "app/app_state.h"
#include "app/panels.h"

namespace fcnet::app {

// Defines window.fcnetApp = { ready, error, prediction(), canvasRect(), clear(), benchmark(n) }
// over `state`, which must outlive the page. See docs/app.md for what each member returns.
void publish_web_api(AppState& state);

// Called after each drawn frame: records where the canvas widget is and, after the first frame
// with a loaded model, sets fcnetApp.ready (or fcnetApp.error if the model did not load).
void web_api_frame_drawn(const CanvasRect& canvas);

// Records a step of the app's start in the page's performance timeline (performance.mark),
// where a benchmark reads how long each step took; web/tests/app-bench.mjs lists them.
void web_api_mark(const char* name);

}  // namespace fcnet::app
