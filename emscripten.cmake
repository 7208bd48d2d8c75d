# emscripten.cmake: fcnet's WebAssembly build settings: dependency prefix, imported targets, flags.
#
# Include it after project() when configuring with emcmake (EMSCRIPTEN is then true):
#
#     if(EMSCRIPTEN)
#       include(emscripten.cmake)       # instead of find_package(Eigen3/ZLIB/SDL2/Catch2)
#     endif()
#     add_executable(fcnet_app ...)
#     target_link_libraries(fcnet_app PRIVATE fcnet_lib fcnet_wasm::imgui)
#     fcnet_wasm_page(fcnet_app SHELL web/app.html)    # .html output, WebGL2, shell page
#
# Sections:
#   1. the dependency prefix (FCNET_WASM_DEPS, else scripts/wasm-deps.sh builds it once)
#   2. settings for every target (direct compiles, memory growth, no HTML minifier, node, NODE_PATH)
#   3. imported targets: fcnet_wasm::eigen, ::zlib, ::sdl2, ::imgui, ::webgl2, ::exceptions, ::catch2
#   4. fcnet_wasm_page(): turn an executable into a page
#
# Nothing here uses emscripten's ports (-sUSE_SDL=2, -sUSE_ZLIB=1): they download at build time.
include_guard(GLOBAL)

if(NOT EMSCRIPTEN)
  message(FATAL_ERROR "emscripten.cmake is for WebAssembly builds: configure with "
                      "'emcmake cmake -S . -B build-wasm'")
endif()

# ==== 1. the dependency prefix ===========================================================
set(FCNET_WASM_DEPS "$ENV{FCNET_WASM_DEPS}" CACHE PATH
    "Prefix holding zlib, SDL2 and ImGui built for wasm; empty: scripts/wasm-deps.sh builds or finds it")
set(ENV{NODE_PATH} /usr/share/nodejs)       # emcc's JS optimiser needs Debian's acorn (node 20)

# Runs the script: a no-op in a second or so once built; the first time, about 2 to 4 minutes.
if(NOT FCNET_WASM_DEPS OR NOT EXISTS "${FCNET_WASM_DEPS}/fcnet-wasm-deps.txt")
  if(FCNET_WASM_DEPS)
    set(ENV{FCNET_WASM_DEPS} "${FCNET_WASM_DEPS}")
  endif()
  message(STATUS "fcnet wasm: running scripts/wasm-deps.sh (first run: builds SDL2, zlib, ImGui)")
  execute_process(
    COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/scripts/wasm-deps.sh"
    OUTPUT_VARIABLE _fcnet_wasm_deps_out
    RESULT_VARIABLE _fcnet_wasm_deps_result)        # its messages go straight to the terminal
  if(NOT _fcnet_wasm_deps_result EQUAL 0)
    message(FATAL_ERROR "scripts/wasm-deps.sh failed (exit ${_fcnet_wasm_deps_result}); see its messages above")
  endif()
  string(STRIP "${_fcnet_wasm_deps_out}" _fcnet_wasm_deps_out)
  string(REGEX REPLACE ".*\n" "" _fcnet_wasm_deps_prefix "${_fcnet_wasm_deps_out}")  # last line
  if(NOT EXISTS "${_fcnet_wasm_deps_prefix}/fcnet-wasm-deps.txt")
    message(FATAL_ERROR "scripts/wasm-deps.sh printed '${_fcnet_wasm_deps_prefix}', "
                        "which holds no fcnet-wasm-deps.txt")
  endif()
  set(FCNET_WASM_DEPS "${_fcnet_wasm_deps_prefix}" CACHE PATH
      "Prefix holding zlib, SDL2 and ImGui built for wasm; empty: scripts/wasm-deps.sh builds or finds it" FORCE)
endif()
message(STATUS "fcnet wasm: dependencies in ${FCNET_WASM_DEPS}")

foreach(_fcnet_wasm_file lib/libz.a lib/libSDL2.a lib/libimgui.a include/zlib.h
                         include/SDL2/SDL.h include/SDL2/SDL_config.h include/imgui/imgui.h)
  if(NOT EXISTS "${FCNET_WASM_DEPS}/${_fcnet_wasm_file}")
    message(FATAL_ERROR "FCNET_WASM_DEPS=${FCNET_WASM_DEPS} has no ${_fcnet_wasm_file}; "
                        "clear FCNET_WASM_DEPS to rebuild it with scripts/wasm-deps.sh")
  endif()
endforeach()

# ==== 2. settings for every target ======================================================
# node 20 has fetch(), which emscripten's loader then uses on a file path ("Failed to parse URL").
# emcmake's own emulator setting adds a flag node 20 rejects, so this one is set over it.
set(CMAKE_CROSSCOMPILING_EMULATOR "/usr/bin/node;--no-experimental-fetch"
    CACHE STRING "Runs wasm tests and tools (node 20 needs --no-experimental-fetch)" FORCE)

add_compile_options(-msimd128)              # wasm SIMD (Chromium, node 16+): src/core/simd_dense.h's kernels

# Each file compiles with emcc's clang directly (scripts/emcc-compile.sh: the same objects, without
# emcc's Python start-up per file: half of the wasm dependencies' cold build). Off: plain emcc.
option(FCNET_EMCC_DIRECT "Compile wasm objects with emcc's clang directly (scripts/emcc-compile.sh)" ON)
if(FCNET_EMCC_DIRECT AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CMAKE_CURRENT_LIST_DIR}/scripts/emcc-compile.sh;${CMAKE_BINARY_DIR}/emcc-flags")
endif()

add_link_options(
  -sALLOW_MEMORY_GROWTH=1                   # a dataset or a model can outgrow the initial 16 MiB
  -sMINIFY_HTML=0)                          # Debian's HTML minifier crashes at -O1 and above

# Links run emcc's JS optimiser under node: give every link rule NODE_PATH (make and ninja).
get_property(_fcnet_wasm_launch GLOBAL PROPERTY RULE_LAUNCH_LINK)
if(NOT _fcnet_wasm_launch)
  set_property(GLOBAL PROPERTY RULE_LAUNCH_LINK "${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs")
endif()

# ==== 3. imported targets ===============================================================
# Eigen is header-only: its Debian directory only, never -I/usr/include (emcc must keep its libc).
add_library(fcnet_wasm::eigen INTERFACE IMPORTED GLOBAL)
set_target_properties(fcnet_wasm::eigen PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES /usr/include/eigen3)

add_library(fcnet_wasm::zlib STATIC IMPORTED GLOBAL)
set_target_properties(fcnet_wasm::zlib PROPERTIES
  IMPORTED_LOCATION "${FCNET_WASM_DEPS}/lib/libz.a"
  INTERFACE_INCLUDE_DIRECTORIES "${FCNET_WASM_DEPS}/include")

# SDL2: the installed include/SDL2 holds the generated SDL_config.h (what SDL's build tree keeps in
# include-config-release, which must come before include there). Its path comes before emcc's
# own SDL 1.x headers, which would otherwise be picked silently. SDL is built without audio,
# whose JS would need two emscripten helpers ($autoResumeAudioContext, $dynCall) added by hand.
add_library(fcnet_wasm::sdl2 STATIC IMPORTED GLOBAL)
set_target_properties(fcnet_wasm::sdl2 PROPERTIES
  IMPORTED_LOCATION "${FCNET_WASM_DEPS}/lib/libSDL2.a"
  INTERFACE_INCLUDE_DIRECTORIES "${FCNET_WASM_DEPS}/include/SDL2")

# WebGL2 = OpenGL ES 3.0: for anything that draws with GL, ImGui included.
add_library(fcnet_wasm::webgl2 INTERFACE IMPORTED GLOBAL)
set_target_properties(fcnet_wasm::webgl2 PROPERTIES
  INTERFACE_LINK_OPTIONS "-sMIN_WEBGL_VERSION=2;-sMAX_WEBGL_VERSION=2")

# ImGui 1.86 core + imgui_impl_sdl + imgui_impl_opengl3, built with IMGUI_IMPL_OPENGL_ES3 (GLSL
# "#version 300 es"); users see the same define. Include as <imgui.h>, <imgui_impl_sdl.h>, ...
add_library(fcnet_wasm::imgui STATIC IMPORTED GLOBAL)
set_target_properties(fcnet_wasm::imgui PROPERTIES
  IMPORTED_LOCATION "${FCNET_WASM_DEPS}/lib/libimgui.a"
  INTERFACE_INCLUDE_DIRECTORIES "${FCNET_WASM_DEPS}/include/imgui"
  INTERFACE_COMPILE_DEFINITIONS IMGUI_IMPL_OPENGL_ES3
  INTERFACE_LINK_LIBRARIES "fcnet_wasm::sdl2;fcnet_wasm::webgl2")

# C++ exceptions: emscripten's default aborts on a throw that should be caught. WebAssembly's own
# exception handling, not emscripten's JavaScript emulation (-fexceptions): the module is 7.8 KB
# smaller gzipped and classifies faster (docs/embed.md); Chrome 95, Firefox 100, Safari 15.2 and
# Node.js 17 run it.
add_library(fcnet_wasm::exceptions INTERFACE IMPORTED GLOBAL)
set_target_properties(fcnet_wasm::exceptions PROPERTIES
  INTERFACE_COMPILE_OPTIONS -fwasm-exceptions
  INTERFACE_LINK_OPTIONS -fwasm-exceptions)

# Catch2 2.x (Debian's, header-only) for tests run under node: only /usr/include/catch2 is
# exposed, through a directory of one link, and the exit code reaches node.
set(_fcnet_wasm_catch2_dir "${CMAKE_BINARY_DIR}/fcnet-wasm-include/catch2-root")
if(EXISTS /usr/include/catch2/catch.hpp)
  file(MAKE_DIRECTORY "${_fcnet_wasm_catch2_dir}")
  file(CREATE_LINK /usr/include/catch2 "${_fcnet_wasm_catch2_dir}/catch2" SYMBOLIC)
  add_library(fcnet_wasm::catch2 INTERFACE IMPORTED GLOBAL)
  set_target_properties(fcnet_wasm::catch2 PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_fcnet_wasm_catch2_dir}"
    INTERFACE_LINK_OPTIONS "-sEXIT_RUNTIME=1"
    INTERFACE_LINK_LIBRARIES fcnet_wasm::exceptions)
endif()

# The names the native build gets from find_package, so shared target code links unchanged.
foreach(_fcnet_wasm_alias "Eigen3::Eigen=fcnet_wasm::eigen" "ZLIB::ZLIB=fcnet_wasm::zlib"
                          "Catch2::Catch2=fcnet_wasm::catch2")
  string(REPLACE "=" ";" _fcnet_wasm_alias "${_fcnet_wasm_alias}")
  list(GET _fcnet_wasm_alias 0 _fcnet_wasm_name)
  list(GET _fcnet_wasm_alias 1 _fcnet_wasm_target)
  if(TARGET ${_fcnet_wasm_target} AND NOT TARGET ${_fcnet_wasm_name})
    add_library(${_fcnet_wasm_name} ALIAS ${_fcnet_wasm_target})
  endif()
endforeach()

# ==== 4. fcnet_wasm_page() ==============================================================
# fcnet_wasm_page(<target> [SHELL <html file>])
#   Makes <target> build <target>.html (+ .js, .wasm) drawing with WebGL2. SHELL is an
#   emscripten shell page holding {{{ SCRIPT }}}; relinks when it changes.
function(fcnet_wasm_page target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "SHELL" "")
  set_target_properties(${target} PROPERTIES SUFFIX ".html")
  target_link_libraries(${target} PRIVATE fcnet_wasm::webgl2)
  if(arg_SHELL)
    get_filename_component(shell "${arg_SHELL}" ABSOLUTE)
    target_link_options(${target} PRIVATE "SHELL:--shell-file \"${shell}\"")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${shell}")
  endif()
endfunction()
