// The page's automation API, window.fcnetApp, and the personal model's place in IndexedDB: EM_JS glue over exported C functions.
#include "app/web_api.h"

#ifdef __EMSCRIPTEN__

#include <emscripten.h>

#include <cstdio>
#include <string>
#include <vector>

#include "io/json_text.h"

namespace {

fcnet::app::AppState* app_state = nullptr;
fcnet::app::CanvasRect canvas_rect;
std::vector<fcnet::app::ButtonRect> buttons;  // the last frame's buttons
std::string buttons_json;  // built only when asked: [{"label", "x", "y", "width", "height"}, ...]
bool first_frame_drawn = false;
bool stored_model_checked = false;  // the IndexedDB lookup answered
bool ready_published = false;
std::vector<std::uint8_t> stored_model;  // where the page puts the stored model's bytes

void publish_ready_when_started();

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

EMSCRIPTEN_KEEPALIVE const char* fcnet_app_buttons() {
    buttons_json = "[";
    for (const fcnet::app::ButtonRect& b : buttons) {
        char rect[160];
        std::snprintf(rect, sizeof rect, "\"x\":%.2f,\"y\":%.2f,\"width\":%.2f,\"height\":%.2f}", b.x, b.y, b.width,
                      b.height);
        buttons_json += (buttons_json.size() > 1 ? ",{\"label\":\"" : "{\"label\":\"") + b.label + "\"," + rect;
    }
    buttons_json += "]";
    return buttons_json.c_str();
}

// The model panel's rows: [{"label", "value"}, ...].
EMSCRIPTEN_KEEPALIVE const char* fcnet_app_model_panel() {
    static std::string json;
    json = "[";
    for (const fcnet::app::ModelFact& row : fcnet::app::model_panel_rows(app_state->model_info())) {
        json += (json.size() > 1 ? ",{\"label\":" : "{\"label\":") + fcnet::json_string(row.label) +
                ",\"value\":" + fcnet::json_string(row.value) + "}";
    }
    return (json += "]").c_str();
}

EMSCRIPTEN_KEEPALIVE void fcnet_app_clear() { app_state->drawing.clear(); }

EMSCRIPTEN_KEEPALIVE double fcnet_app_benchmark(int runs) { return app_state->benchmark_classify_ms(runs); }

EMSCRIPTEN_KEEPALIVE double fcnet_app_learn(int label) {
    app_state->learn(label);
    return app_state->last_learn_ms();
}

EMSCRIPTEN_KEEPALIVE double fcnet_app_last_learn_ms() { return app_state->last_learn_ms(); }

EMSCRIPTEN_KEEPALIVE int fcnet_app_corrections() { return app_state->corrections(); }

EMSCRIPTEN_KEEPALIVE void fcnet_app_forget() { app_state->forget(); }

EMSCRIPTEN_KEEPALIVE const char* fcnet_app_notice() { return app_state->notice().c_str(); }

EMSCRIPTEN_KEEPALIVE const char* fcnet_app_rehearsal() {
    static std::string name;
    name = app_state->rehearsal_name();
    return name.c_str();
}

// The page asks for room for the stored model's `size` bytes, fills it, then calls
// fcnet_app_stored_model (size 0: nothing stored, or IndexedDB is unavailable).
EMSCRIPTEN_KEEPALIVE std::uint8_t* fcnet_app_stored_model_buffer(int size) {
    stored_model.assign(static_cast<std::size_t>(size), 0);
    return stored_model.data();
}

EMSCRIPTEN_KEEPALIVE void fcnet_app_stored_model(int size) {
    if (size > 0) app_state->use_personal_model(stored_model.data(), stored_model.size());
    stored_model = {};
    stored_model_checked = true;
    publish_ready_when_started();
}

}  // extern "C"

// ---- the personal model in IndexedDB: database "fcnet", store "models", key "personal" -------
// web/app.html looks it up as the page opens (window.fcnetStoredModel: a promise of the bytes or
// null) and opens the database for writing on demand (window.fcnetModelStore()): opening it only
// once the app runs would add most of a second to a new browser profile's first load.
EM_JS(void, read_stored_model, (), {
    window['fcnetStoredModel'].then(function(bytes) {
        performance.mark('fcnet:stored-model-read');
        if (bytes) {
            const at = Module['_fcnet_app_stored_model_buffer'](bytes.length);  // may grow memory:
            HEAPU8.set(bytes, at);                                            // read HEAPU8 after
        }
        Module['_fcnet_app_stored_model'](bytes ? bytes.length : 0);
    });
});

EM_JS(void, write_stored_model, (const std::uint8_t* bytes, int size), {
    const copy = size > 0 ? HEAPU8.slice(bytes, bytes + size) : null;
    window['fcnetModelStore']().then(function(db) {
        if (!db) return;
        const store = db.transaction('models', 'readwrite').objectStore('models');
        if (copy) store.put(copy, 'personal'); else store.delete('personal');
    });
});

EM_JS(void, download_bytes, (const std::uint8_t* bytes, int size), {
    const url = URL.createObjectURL(new Blob([HEAPU8.slice(bytes, bytes + size)], { type: 'application/octet-stream' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'my-handwriting.fcnet';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function() { URL.revokeObjectURL(url); }, 1000);
});

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
        buttonRect: function(label) {
            const page = Module['canvas'].getBoundingClientRect();
            const found = JSON.parse(UTF8ToString(Module['_fcnet_app_buttons']())).find(function(b) {
                return b.label === label;
            });
            return found ? { x: page.left + found.x, y: page.top + found.y, width: found.width, height: found.height }
                         : null;
        },
        modelPanel: function() { return JSON.parse(UTF8ToString(Module['_fcnet_app_model_panel']())); },
        clear: function() { Module['_fcnet_app_clear'](); },
        benchmark: function(runs) { return Module['_fcnet_app_benchmark'](runs || 1000); },
        learn: function(label) {
            return Module['_fcnet_app_learn'](label === 'not-a-digit' ? 10 : label);
        },
        lastLearnMs: function() { return Module['_fcnet_app_last_learn_ms'](); },
        corrections: function() { return Module['_fcnet_app_corrections'](); },
        forget: function() { Module['_fcnet_app_forget'](); },
        notice: function() { return UTF8ToString(Module['_fcnet_app_notice']()); },
        rehearsal: function() { return UTF8ToString(Module['_fcnet_app_rehearsal']()); }
    };
    window['fcnetApp'] = api;
});

EM_JS(void, set_fcnet_app_ready, (), {
    window['fcnetApp'].ready = true;
    performance.mark('fcnet:ready');
    window.dispatchEvent(new Event('fcnet-app-ready'));
});

EM_JS(void, mark_in_timeline, (const char* name), {
    performance.mark(UTF8ToString(name));
});

EM_JS(void, set_fcnet_app_error, (const char* message), {
    window['fcnetApp'].error = UTF8ToString(message);
    window.dispatchEvent(new Event('fcnet-app-error'));
});

namespace {

void publish_ready_when_started() {
    if (ready_published || !first_frame_drawn || !stored_model_checked) return;
    ready_published = true;
    if (app_state->model_loaded())
        set_fcnet_app_ready();
    else
        set_fcnet_app_error(app_state->error().c_str());
}

}  // namespace

namespace fcnet::app {

void publish_web_api(AppState& state) {
    app_state = &state;
    install_fcnet_app_api();
    if (state.model_loaded()) {
        read_stored_model();
    } else {
        stored_model_checked = true;
    }
}

void web_api_frame_drawn(const FrameLayout& layout) {
    canvas_rect = layout.canvas;
    buttons = layout.buttons;  // reuses the vector's and the labels' storage: no JSON until asked
    if (!first_frame_drawn) web_api_mark("fcnet:first-frame");
    first_frame_drawn = true;
    publish_ready_when_started();
}

void web_api_store_model(const AppState& state) {
    // Uncompressed: after every correction, so it must take milliseconds, not a second.
    const std::vector<std::uint8_t> bytes =
        state.corrections() > 0 ? state.model_bytes(ModelCompression::none) : std::vector<std::uint8_t>{};
    write_stored_model(bytes.data(), static_cast<int>(bytes.size()));
}

void web_api_download_model(const AppState& state) {
    const std::vector<std::uint8_t> bytes = state.model_bytes(ModelCompression::smallest);
    download_bytes(bytes.data(), static_cast<int>(bytes.size()));
}

void web_api_mark(const char* name) { mark_in_timeline(name); }

}  // namespace fcnet::app

#else  // the desktop build: no page, no API

namespace fcnet::app {

void publish_web_api(AppState&) {}
void web_api_frame_drawn(const FrameLayout&) {}
void web_api_store_model(const AppState&) {}
void web_api_download_model(const AppState&) {}
void web_api_mark(const char*) {}

}  // namespace fcnet::app

#endif
