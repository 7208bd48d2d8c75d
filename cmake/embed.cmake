# cmake/embed.cmake: the embeddable digit classifier (an ES module + .wasm) and its native helpers.
#
# Included by CMakeLists.txt after fcnet_lib exists, for native and emscripten builds alike.
#
# WebAssembly (emcmake):
#   fcnet_embed           -> <build>/embed/{fcnet.js, fcnet.wasm, mnist.fcnet, fcnet.d.ts,
#                            embed-demo.html, package.json}: the whole distributable;
#                            scripts/build-module.sh copies it to dist/.
#                            fcnet.js is emscripten's ES module factory with web/embed/fcnet-api.js
#                            (the public API: createClassifier) appended after it, its whole-line
#                            comments left out (cmake/strip-line-comments.cmake).
# Native:
#   fcnet_embed_api       -> the C API as a static library
#   fcnet_embed_golden    -> writes MNIST drawings and their native probabilities (golden vectors)
#   (CMakeLists.txt links fcnet_embed_api into tests/unit/test_embed_api.cpp's test)
#
# The C API (src/embed/embed_api.h) is the same source in both, so the golden test compares the
# library's arithmetic natively and in wasm, not two different wrappers.
include_guard(GLOBAL)

get_filename_component(FCNET_EMBED_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)  # the source tree

if(NOT EMSCRIPTEN)
  add_library(fcnet_embed_api STATIC src/embed/embed_api.cpp)
  target_link_libraries(fcnet_embed_api PUBLIC fcnet_lib)
  add_executable(fcnet_embed_golden src/embed/embed_golden.cpp)
  target_link_libraries(fcnet_embed_golden PRIVATE fcnet_embed_api)
  return()
endif()

# ---- the WebAssembly module ---------------------------------------------------------------
set(FCNET_EMBED_EXPORTS
  _fcnet_embed_create _fcnet_embed_classify _fcnet_embed_preprocess _fcnet_embed_info
  _fcnet_embed_heap_in_use _fcnet_embed_set_rehearsal _fcnet_embed_learn _fcnet_embed_corrections
  _fcnet_embed_reset _fcnet_embed_export _fcnet_embed_dispose _fcnet_embed_classify_strokes
  _fcnet_embed_preprocess_strokes _fcnet_embed_learn_strokes _malloc _free)
string(REPLACE ";" "," _fcnet_embed_exports "${FCNET_EMBED_EXPORTS}")
set(_fcnet_embed_out "${CMAKE_BINARY_DIR}/embed")
set(_fcnet_embed_api_js "${CMAKE_BINARY_DIR}/fcnet-api.js")  # web/embed/fcnet-api.js without its comment lines
add_custom_command(
  OUTPUT "${_fcnet_embed_api_js}"
  COMMAND ${CMAKE_COMMAND} -DIN=${FCNET_EMBED_DIR}/web/embed/fcnet-api.js -DOUT=${_fcnet_embed_api_js}
          -P "${FCNET_EMBED_DIR}/cmake/strip-line-comments.cmake"
  DEPENDS "${FCNET_EMBED_DIR}/web/embed/fcnet-api.js" "${FCNET_EMBED_DIR}/cmake/strip-line-comments.cmake"
  VERBATIM)

add_executable(fcnet_embed src/embed/embed_api.cpp)
target_link_libraries(fcnet_embed PRIVATE fcnet_lib fcnet_wasm::exceptions)
set_target_properties(fcnet_embed PROPERTIES
  OUTPUT_NAME fcnet SUFFIX ".js"
  RUNTIME_OUTPUT_DIRECTORY "${_fcnet_embed_out}"
  LINK_DEPENDS "${_fcnet_embed_api_js}")
target_link_options(fcnet_embed PRIVATE
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createFcnetModule
  -sENVIRONMENT=web,worker                # node runs it too: fcnet-api.js hands over the wasm itself
  -sFILESYSTEM=0                          # models arrive as bytes; nothing reads files
  -sDYNAMIC_EXECUTION=0                   # no eval: works under a strict Content-Security-Policy
  -sMALLOC=emmalloc                       # smaller than dlmalloc; enough for a few large blocks
  -sSUPPORT_LONGJMP=0
  -sTOTAL_STACK=1048576 -sINITIAL_MEMORY=4194304  # 4 MiB per classifier, grown for large images
  -sINCOMING_MODULE_JS_API=instantiateWasm
  "-sEXPORTED_FUNCTIONS=${_fcnet_embed_exports}"
  "SHELL:--extern-post-js \"${_fcnet_embed_api_js}\"")

# The model, the type declarations, package.json (type: module, for Node.js 18) and the demo page
# go next to the module, copied again whenever one of them changes.
set(_fcnet_embed_copies)
foreach(_fcnet_embed_file models/mnist.fcnet web/embed/fcnet.d.ts web/embed/package.json web/embed-demo.html)
  get_filename_component(_fcnet_embed_name "${_fcnet_embed_file}" NAME)
  add_custom_command(
    OUTPUT "${_fcnet_embed_out}/${_fcnet_embed_name}"
    COMMAND ${CMAKE_COMMAND} -E copy "${FCNET_EMBED_DIR}/${_fcnet_embed_file}" "${_fcnet_embed_out}/"
    DEPENDS "${FCNET_EMBED_DIR}/${_fcnet_embed_file}"
    VERBATIM)
  list(APPEND _fcnet_embed_copies "${_fcnet_embed_out}/${_fcnet_embed_name}")
endforeach()
add_custom_target(fcnet_embed_files DEPENDS ${_fcnet_embed_copies} "${_fcnet_embed_api_js}")
add_dependencies(fcnet_embed fcnet_embed_files)
