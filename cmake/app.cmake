# cmake/app.cmake: the draw-a-digit app (src/app): a WebGL2 page under emscripten, an SDL2 +
# OpenGL 3 window natively. Included by CMakeLists.txt after fcnet_lib is defined.
#
#   wasm:   emcmake cmake -S . -B build/wasm && cmake --build build/wasm --target fcnet_app
#           -> build/wasm/site/{index.html,index.js,index.wasm,index.data}   (serve that folder)
#   native: cmake -S . -B build/native && cmake --build build/native --target fcnet_app
#           -> build/native/fcnet_app [model.fcnet]   (only when SDL2, OpenGL and ImGui are found)
set(FCNET_APP_SOURCES
  src/app/main.cpp
  src/app/canvas.cpp
  src/app/app_state.cpp
  src/app/panels.cpp
  src/app/web_api.cpp)
list(TRANSFORM FCNET_APP_SOURCES PREPEND "${CMAKE_CURRENT_LIST_DIR}/../")

# A TrueType font for crisp text at any pixel ratio; without one the app uses ImGui's own
# bitmap font (ProggyClean), so this is optional. The default is DejaVu Sans cut down to ASCII
# (20 KB, see assets/fonts/README.md): the page downloads and parses less before its first frame.
set(FCNET_APP_FONT "${CMAKE_CURRENT_LIST_DIR}/../assets/fonts/DejaVuSans-ascii.ttf" CACHE FILEPATH
    "TrueType font for the app's text (empty or missing: ImGui's built-in font)")

# A rehearsal file the app's corrections train with (`fcnet rehearsal`, from MNIST and the pen
# strokes). Without one (the default) the app generates its rehearsal sample (docs/finetune.md).
set(FCNET_APP_REHEARSAL "" CACHE FILEPATH "Rehearsal file for the app's corrections (empty: a generated sample)")
if(EMSCRIPTEN)
  add_executable(fcnet_app ${FCNET_APP_SOURCES})
  target_link_libraries(fcnet_app PRIVATE fcnet_lib fcnet_wasm::imgui)
  fcnet_wasm_page(fcnet_app SHELL "${CMAKE_SOURCE_DIR}/web/app.html")
  set_target_properties(fcnet_app PROPERTIES
    OUTPUT_NAME index
    RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/site")
  set(_fcnet_app_model "${CMAKE_SOURCE_DIR}/models/mnist.fcnet")
  target_link_options(fcnet_app PRIVATE
    "SHELL:--preload-file \"${_fcnet_app_model}@/mnist.fcnet\""
    -sENVIRONMENT=web                     # the page API is EM_JS + exported C (src/app/web_api.cpp)
    -sGL_PREINITIALIZED_CONTEXT=1         # web/app.html makes the WebGL2 context while the app downloads
    -sGL_SUPPORT_AUTOMATIC_ENABLE_EXTENSIONS=0)  # ImGui needs no WebGL2 extension: none enabled at start
  set_property(TARGET fcnet_app APPEND PROPERTY LINK_DEPENDS "${_fcnet_app_model}")
  if(FCNET_APP_FONT AND EXISTS "${FCNET_APP_FONT}")
    target_link_options(fcnet_app PRIVATE "SHELL:--preload-file \"${FCNET_APP_FONT}@/app-font.ttf\"")
    target_compile_definitions(fcnet_app PRIVATE FCNET_APP_FONT="/app-font.ttf")
  endif()
  target_compile_definitions(fcnet_app PRIVATE FCNET_APP_MODEL="/mnist.fcnet")
  if(FCNET_APP_REHEARSAL AND EXISTS "${FCNET_APP_REHEARSAL}")
    target_link_options(fcnet_app PRIVATE "SHELL:--preload-file \"${FCNET_APP_REHEARSAL}@/fcnet-rehearsal.bin\"")
    set_property(TARGET fcnet_app APPEND PROPERTY LINK_DEPENDS "${FCNET_APP_REHEARSAL}")
    target_compile_definitions(fcnet_app PRIVATE FCNET_APP_REHEARSAL="/fcnet-rehearsal.bin")
  endif()
  return()
endif()

# ---- native: only when the desktop dependencies are there --------------------------------
find_package(SDL2 CONFIG QUIET)
find_package(OpenGL QUIET)
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(FCNET_IMGUI QUIET IMPORTED_TARGET imgui)  # Debian's: -limgui -lstb
endif()
find_path(FCNET_IMGUI_BACKENDS_DIR imgui_impl_sdl.h PATH_SUFFIXES imgui/backends imgui)
if(NOT TARGET SDL2::SDL2 OR NOT OPENGL_FOUND OR NOT TARGET PkgConfig::FCNET_IMGUI OR NOT FCNET_IMGUI_BACKENDS_DIR)
  message(STATUS "fcnet app: SDL2, OpenGL or ImGui (with its SDL/OpenGL3 backends) not found; "
                 "the native app is not built (Debian: libsdl2-dev libimgui-dev)")
  return()
endif()

# Debian's libimgui.a holds the SDL and OpenGL 3 backends too (their headers are in
# imgui/backends); the OpenGL 3 backend loads libGL with dlopen.
add_executable(fcnet_app ${FCNET_APP_SOURCES})
target_include_directories(fcnet_app SYSTEM PRIVATE "${FCNET_IMGUI_BACKENDS_DIR}")
target_link_libraries(fcnet_app PRIVATE fcnet_lib SDL2::SDL2 PkgConfig::FCNET_IMGUI OpenGL::GL ${CMAKE_DL_LIBS})
target_compile_definitions(fcnet_app PRIVATE
  FCNET_APP_MODEL="${CMAKE_SOURCE_DIR}/models/mnist.fcnet")
if(FCNET_APP_FONT AND EXISTS "${FCNET_APP_FONT}")
  target_compile_definitions(fcnet_app PRIVATE FCNET_APP_FONT="${FCNET_APP_FONT}")
endif()
if(FCNET_APP_REHEARSAL AND EXISTS "${FCNET_APP_REHEARSAL}")
  target_compile_definitions(fcnet_app PRIVATE FCNET_APP_REHEARSAL="${FCNET_APP_REHEARSAL}")
endif()
message(STATUS "fcnet app: native SDL2 + OpenGL 3 window (target fcnet_app)")
