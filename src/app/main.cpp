// fcnet_app: draw a digit, see what the network reads. SDL2 window, OpenGL (WebGL2 in the browser), ImGui.
//
// Usage (desktop): fcnet_app [model.fcnet]      default: the repository's models/mnist.fcnet
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include "app/app_state.h"
#include "app/panels.h"
#include "app/platform.h"
#include "app/web_api.h"

namespace {

using namespace fcnet::app;

constexpr float kTextSize = 16.0f;    // CSS pixels
constexpr float kLargeSize = 96.0f;   // the predicted digit
// Frames still drawn after the last input event, so ImGui's state (hover, release) settles;
// after that nothing can change on screen and the last image stands until the next event.
constexpr int kFramesAfterInput = 4;
// Each idle frame (no input for kFramesAfterInput frames) spends about this long preparing the
// first correction (generating the rehearsal sample), so the page answers while it is made.
constexpr double kPreparationPerFrameMs = 6;

struct App {
    SDL_Window* window = nullptr;
    AppState state;
    Fonts fonts;
    float font_scale = 0;             // the pixel ratio the fonts were rasterised for
    int frames_without_input = 0;
    std::uint64_t drawn_revision = 0; // the drawing's revision in the last frame drawn
    std::uint64_t stored_model_revision = 0;  // the model's revision last stored for the next visit
};

// Fonts are rasterised at the display's pixel ratio and drawn scaled back, so text is sharp on
// HiDPI screens. Rebuilt when the ratio changes (the window moved to another screen, zoom).
void load_fonts(App& app, float pixel_ratio) {
    if (pixel_ratio == app.font_scale) return;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    if (platform::kFontPath) {
        static const ImWchar ascii[] = {0x20, 0x7e, 0};  // all the app writes
        app.fonts.text = io.Fonts->AddFontFromFileTTF(platform::kFontPath, kTextSize * pixel_ratio, nullptr, ascii);
        static const ImWchar digits[] = {'0', '9', '?', '?', 0};
        if (app.fonts.text)
            app.fonts.large = io.Fonts->AddFontFromFileTTF(platform::kFontPath, kLargeSize * pixel_ratio, nullptr, digits);
    }
    if (!platform::kFontPath || !app.fonts.text || !app.fonts.large) {
        io.Fonts->Clear();
        ImFontConfig config;
        config.SizePixels = std::round(13.0f * pixel_ratio);
        app.fonts.text = io.Fonts->AddFontDefault(&config);
        config.SizePixels = std::round(13.0f * pixel_ratio) * 6;
        app.fonts.large = io.Fonts->AddFontDefault(&config);
    }
    io.FontGlobalScale = 1.0f / pixel_ratio;
    io.Fonts->Build();
    if (app.font_scale != 0) {  // the GL texture exists: replace it
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    app.font_scale = pixel_ratio;
}

// Drawable pixels per window unit (devicePixelRatio in the browser), in steps of 1/4: the
// drawable size is rounded to whole pixels, and the fonts should not be rebuilt for that.
float pixel_ratio(SDL_Window* window) {
    int width = 0, drawable_width = 0, height = 0;
    SDL_GetWindowSize(window, &width, &height);
    SDL_GL_GetDrawableSize(window, &drawable_width, &height);
    if (width <= 0 || drawable_width <= 0) return 1.0f;
    return std::max(1.0f, std::round(4.0f * drawable_width / width) / 4.0f);
}

// Undo and Clear keys, read from SDL's events: ImGui 1.86 misses a key pressed and released
// within one frame, which a quick tap does.
void handle_shortcut(AppState& state, const SDL_KeyboardEvent& key) {
    const bool command = (key.keysym.mod & (KMOD_CTRL | KMOD_GUI)) != 0;
    switch (key.keysym.sym) {
        case SDLK_BACKSPACE: state.drawing.undo(); break;
        case SDLK_z: if (command) state.drawing.undo(); break;
        case SDLK_c: if (!command) state.drawing.clear(); break;
        case SDLK_DELETE: state.drawing.clear(); break;
        default: break;
    }
}

bool frame(void* context) {
    App& app = *static_cast<App*>(context);
    SDL_Event event;
    bool input = false;
    while (SDL_PollEvent(&event)) {
        ImGui_ImplSDL2_ProcessEvent(&event);
        if (event.type == SDL_QUIT) return false;
        if (event.type == SDL_KEYDOWN) handle_shortcut(app.state, event.key);
        input = true;
    }
    input = input || app.state.drawing.revision() != app.drawn_revision;  // e.g. fcnetApp.clear()
    if (app.state.model_revision() != app.stored_model_revision) {  // learned, forgot or loaded a stored model
        web_api_store_model(app.state);
        app.stored_model_revision = app.state.model_revision();
        input = true;
    }
    app.frames_without_input = input ? 0 : app.frames_without_input + 1;
    if (app.frames_without_input > kFramesAfterInput) {
        if (!app.state.reading_prepared()) {  // the first idle frame, unless a drawing needed it sooner
            app.state.prepare_reading();
            web_api_mark("fcnet:reading-prepared");
        } else if (app.state.learning_prepared()) {
            platform::wait_for_input();
        } else if (app.state.prepare_learning_for(kPreparationPerFrameMs)) {  // idle frames only
            web_api_mark("fcnet:learning-prepared");
        }
        return true;
    }
    load_fonts(app, pixel_ratio(app.window));

    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    const FrameLayout layout = draw_app(app.state, app.fonts);
    ImGui::Render();

    int width = 0, height = 0;
    SDL_GL_GetDrawableSize(app.window, &width, &height);
    glViewport(0, 0, width, height);
    glClearColor(0.09f, 0.09f, 0.11f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    SDL_GL_SwapWindow(app.window);
    if (app.state.download_requested) {
        web_api_download_model(app.state);
        app.state.download_requested = false;
    }
    app.drawn_revision = app.state.drawing.revision();
    web_api_frame_drawn(layout);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    web_api_mark("fcnet:main");
    platform::capture_keyboard_on_canvas_only();
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "fcnet_app: SDL_Init failed: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, platform::kGlProfile);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, platform::kGlMajor);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, platform::kGlMinor);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);

    // Heap-allocated and never freed: in the browser it lives on after main returns.
    App* app = new App;
    app->window = SDL_CreateWindow("fcnet: draw a digit", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                   1100, 720, SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!app->window) {
        std::fprintf(stderr, "fcnet_app: cannot open a window: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GLContext gl = SDL_GL_CreateContext(app->window);
    if (!gl) {
        std::fprintf(stderr, "fcnet_app: cannot create an OpenGL %d.%d context: %s\n", platform::kGlMajor,
                     platform::kGlMinor, SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(app->window, gl);
    SDL_GL_SetSwapInterval(1);
    web_api_mark("fcnet:gl-context");

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // nothing to remember between runs
    ImGui::StyleColorsDark();
    ImGui::GetStyle().FrameRounding = 3;
    ImGui_ImplSDL2_InitForOpenGL(app->window, gl);
    ImGui_ImplOpenGL3_Init(platform::kGlslVersion);
    load_fonts(*app, pixel_ratio(app->window));
    web_api_mark("fcnet:fonts");

    const char* model_path = argc > 1 ? argv[1] : platform::kModelPath;
    if (!app->state.load_model(model_path))
        std::fprintf(stderr, "fcnet_app: %s\n", app->state.error().c_str());
    app->state.load_rehearsal(platform::kRehearsalPath);
    web_api_mark("fcnet:model");
    publish_web_api(app->state);

    platform::run_main_loop(frame, app);
    if (!platform::kIsWeb) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
        SDL_GL_DeleteContext(gl);
        SDL_DestroyWindow(app->window);
        SDL_Quit();
        delete app;
    }
    return 0;
}
