// What differs between the browser (emscripten, WebGL2) and the desktop (SDL2 + OpenGL 3) build.
#pragma once

#include <SDL.h>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <SDL_opengles2.h>
#else
#include <SDL_opengl.h>
#endif

namespace fcnet::app::platform {

#ifdef __EMSCRIPTEN__
constexpr bool kIsWeb = true;
constexpr const char* kGlslVersion = "#version 300 es";  // WebGL2 = OpenGL ES 3.0
constexpr int kGlProfile = SDL_GL_CONTEXT_PROFILE_ES;
constexpr int kGlMajor = 3, kGlMinor = 0;
#else
constexpr bool kIsWeb = false;
constexpr const char* kGlslVersion = "#version 150";     // OpenGL 3.2 core
constexpr int kGlProfile = SDL_GL_CONTEXT_PROFILE_CORE;
constexpr int kGlMajor = 3, kGlMinor = 2;
#endif

// Where the shipped model is: a preloaded file in the page's virtual file system, or the
// repository's models/ folder on the desktop (cmake/app.cmake sets FCNET_APP_MODEL).
constexpr const char* kModelPath = FCNET_APP_MODEL;
// A rehearsal file corrections train with (core/finetune.h), made by `fcnet rehearsal` and
// preloaded like the model (cmake/app.cmake's FCNET_APP_REHEARSAL); without one the app
// generates its rehearsal sample (data/generated_rehearsal.h).
#ifdef FCNET_APP_REHEARSAL
constexpr const char* kRehearsalPath = FCNET_APP_REHEARSAL;
#else
constexpr const char* kRehearsalPath = "";
#endif
#ifdef FCNET_APP_FONT
constexpr const char* kFontPath = FCNET_APP_FONT;         // a TrueType font for crisp text
#else
constexpr const char* kFontPath = nullptr;                 // ImGui's built-in bitmap font
#endif

// Milliseconds from an arbitrary origin, with sub-millisecond resolution.
inline double now_ms() {
#ifdef __EMSCRIPTEN__
    return emscripten_get_now();
#else
    return 1000.0 * static_cast<double>(SDL_GetPerformanceCounter()) /
           static_cast<double>(SDL_GetPerformanceFrequency());
#endif
}

// Keys reach the app only while its canvas has focus, so the page around it keeps its own.
inline void capture_keyboard_on_canvas_only() {
#ifdef __EMSCRIPTEN__
    SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
#endif
}

// Called instead of drawing a frame when nothing changed. The browser paces the loop itself;
// on the desktop this sleeps until an event arrives (or 100 ms pass), instead of spinning.
inline void wait_for_input() {
#ifndef __EMSCRIPTEN__
    SDL_WaitEventTimeout(nullptr, 100);
#endif
}

// Calls frame(context) once per display refresh. In the browser this draws the first frame at
// once (not at the next animation frame, which can be long in coming while the page loads),
// returns, and the browser calls frame from then on; on the desktop it returns when frame()
// asks to stop. `frame` returns false to stop (the desktop window was closed).
using FrameFunction = bool (*)(void* context);
inline void run_main_loop(FrameFunction frame, void* context) {
#ifdef __EMSCRIPTEN__
    struct Loop { FrameFunction frame; void* context; };
    static Loop loop{frame, context};
    frame(context);
    emscripten_set_main_loop_arg([](void* l) {
        auto* self = static_cast<Loop*>(l);
        if (!self->frame(self->context)) emscripten_cancel_main_loop();
    }, &loop, 0, false);
#else
    while (frame(context)) {
    }
#endif
}

}  // namespace fcnet::app::platform
