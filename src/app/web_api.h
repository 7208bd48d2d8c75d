// The page's automation API, window.fcnetApp (browser only; the desktop build has none).
#pragma once

#include "app/app_state.h"
#include "app/panels.h"

namespace fcnet::app {

// Defines window.fcnetApp = { ready, error, prediction(), canvasRect(), buttonRect(label), modelPanel(),
// clear(), benchmark(n), learn(label), lastLearnMs(), corrections(), forget(), notice(), rehearsal() }
// over `state`, which must outlive the page, and starts reading the personal model stored in the
// browser (IndexedDB), which `state` then reads with (or drops with a notice). See docs/app.md
// for what each member returns.
void publish_web_api(AppState& state);

// Called after each drawn frame: records where the canvas widget and the buttons are and, once
// the first frame is drawn and the stored model looked for, sets fcnetApp.ready (or
// fcnetApp.error if the model did not load).
void web_api_frame_drawn(const FrameLayout& layout);

// Stores the model `state` reads with in the browser for the next visit (IndexedDB), or removes
// the stored one when it has no corrections.
void web_api_store_model(const AppState& state);

// Saves the model `state` reads with as a .fcnet file through the browser's download.
void web_api_download_model(const AppState& state);

// Records a step of the app's start in the page's performance timeline (performance.mark),
// where a benchmark reads how long each step took; web/tests/app-bench.mjs lists them.
void web_api_mark(const char* name);

}  // namespace fcnet::app
