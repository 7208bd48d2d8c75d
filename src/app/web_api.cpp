// The page's automation API, window.fcnetApp: EM_JS glue over a few exported C functions.
#include "app/web_api.h"

#ifdef __EMSCRIPTEN__

#include <emscripten.h>

namespace {

fcnet::app::AppState* app_state = nullptr;
fcnet::app::CanvasRect canvas_rect;
bool ready_published = false;

// fcnet_app_prediction's result: digit, confidence, is_digit, empty, then the 10 probabilities.
constexpr int kPredictionFields = 4 + fcnet::kDigitClasses;
float prediction_fields[kPredictionFields];
float canvas_fields[3];

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE float* fcnet_app_prediction() {
    app_state->update();
    const fcnet::DigitPrediction& p = app_state->prediction();
    prediction_fields[0] = static_cast<float>(p.digit);
    prediction_fields[1] = p.confidence;
    prediction_fields[2] = p.is_digit ? 1.0f : 0.0f;
    prediction_fields[3] = p.empty ? 1.0f : 0.0f;
    for (int i = 0; i < fcnet::kDigitClasses; ++i) prediction_fields[4 + i] = p.probabilities[i];
    return prediction_fields;
}

EMSCRIPTEN_KEEPALIVE float* fcnet_app_canvas_rect() {
    canvas_fields[0] = canvas_rect.x;
    canvas_fields[1] = canvas_rect.y;
    canvas_fields[2] = canvas_rect.side;
    return canvas_fields;
}

EMSCRIPTEN_KEEPALIVE void fcnet_app_clear() { app_state->drawing.clear(); }

EMSCRIPTEN_KEEPALIVE double fcnet_app_benchmark(int runs) { return app_state->benchmark_classify_ms(runs); }

}  // extern "C"

// Canvas-widget coordinates are the SDL window's, which are the <canvas>'s CSS pixels; adding
// the element's position gives page (viewport) CSS pixels, what pointer automation uses.
EM_JS(void, install_fcnet_app_api, (), {
    const api = {
        ready: false,
        error: null,
        prediction: function() {
            const at = Module['_fcnet_app_prediction']() >> 2;
            const v = HEAPF32.subarray(at, at + 14);
            return {
                digit: v[0],
                confidence: v[1],
                isDigit: v[2] !== 0,
                empty: v[3] !== 0,
                probabilities: Array.from(v.subarray(4, 14))
            };
        },
        canvasRect: function() {
            const at = Module['_fcnet_app_canvas_rect']() >> 2;
            const page = Module['canvas'].getBoundingClientRect();
            const side = HEAPF32[at + 2];
            return { x: page.left + HEAPF32[at], y: page.top + HEAPF32[at + 1], width: side, height: side };
        },
        clear: function() { Module['_fcnet_app_clear'](); },
        benchmark: function(runs) { return Module['_fcnet_app_benchmark'](runs || 1000); }
    };
    window['fcnetApp'] = api;
});

EM_JS(void, set_fcnet_app_ready, (), {
    window['fcnetApp'].ready = true;
    window.dispatchEvent(new Event('fcnet-app-ready'));
});

EM_JS(void, mark_in_timeline, (const char* name), {
    performance.mark(UTF8ToString(name));
});

EM_JS(void, set_fcnet_app_error, (const char* message), {
    window['fcnetApp'].error = UTF8ToString(message);
    window.dispatchEvent(new Event('fcnet-app-error'));
});

namespace fcnet::app {

void publish_web_api(AppState& state) {
    app_state = &state;
    install_fcnet_app_api();
}

void web_api_frame_drawn(const CanvasRect& canvas) {
    canvas_rect = canvas;
    if (ready_published) return;
    ready_published = true;
    web_api_mark("fcnet:first-frame");
    if (app_state->model_loaded())
        set_fcnet_app_ready();
    else
        set_fcnet_app_error(app_state->error().c_str());
}

void web_api_mark(const char* name) { mark_in_timeline(name); }

}  // namespace fcnet::app

#else  // the desktop build: no page, no API

namespace fcnet::app {

void publish_web_api(AppState&) {}
void web_api_frame_drawn(const CanvasRect&) {}
void web_api_mark(const char*) {}

}  // namespace fcnet::app

#endif
