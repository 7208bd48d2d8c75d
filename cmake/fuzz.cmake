# cmake/fuzz.cmake: libFuzzer targets (tests/fuzz/fuzz_*.cpp), built with -DFCNET_FUZZ=ON and clang.
#
# Everything (the library too) is compiled with coverage instrumentation and ASan + UBSan;
# each tests/fuzz/fuzz_<name>.cpp becomes the executable fuzz_<name> in <build>/fuzz/.
# scripts/fuzz.sh builds and runs them with the seed corpora in tests/fuzz/corpus/<name>/.
include_guard(GLOBAL)

option(FCNET_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only; implies ASan + UBSan)" OFF)
if(NOT FCNET_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "FCNET_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
endif()

add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer -g)
add_link_options(-fsanitize=address,undefined)

file(GLOB _fcnet_fuzz_sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_LIST_DIR}/../tests/fuzz/fuzz_*.cpp")
foreach(_fcnet_fuzz_source ${_fcnet_fuzz_sources})
  get_filename_component(_fcnet_fuzz_name ${_fcnet_fuzz_source} NAME_WE)
  add_executable(${_fcnet_fuzz_name} ${_fcnet_fuzz_source})
  target_link_libraries(${_fcnet_fuzz_name} PRIVATE fcnet_lib)
  target_link_options(${_fcnet_fuzz_name} PRIVATE -fsanitize=fuzzer)
  set_target_properties(${_fcnet_fuzz_name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/fuzz")
endforeach()
target_link_libraries(fuzz_embed_classify PRIVATE fcnet_embed_api)
include(${CMAKE_CURRENT_LIST_DIR}/onnx.cmake)
target_link_libraries(fuzz_onnx_import PRIVATE fcnet_onnx)
get_filename_component(_fcnet_fuzz_model "${CMAKE_CURRENT_LIST_DIR}/../models/mnist.fcnet" ABSOLUTE)
target_compile_definitions(fuzz_embed_classify PRIVATE FCNET_FUZZ_MODEL="${_fcnet_fuzz_model}")

# The seed corpus writer (not a fuzz target: a plain program with the same instrumentation).
add_executable(make_seed_corpus tests/fuzz/make_seed_corpus.cpp)
target_link_libraries(make_seed_corpus PRIVATE fcnet_lib fcnet_onnx)
target_include_directories(make_seed_corpus SYSTEM PRIVATE /usr/include/stb)
target_compile_options(make_seed_corpus PRIVATE -fno-sanitize=shift)  # stb_image_write shifts negative values
set_target_properties(make_seed_corpus PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/fuzz")

# stb_image 2.27 (Debian 12) shifts by more than 31 bits on some corrupt JPEGs (a negative bit
# count in stbi__grow_buffer_unsafe; stb_image 2.28 checks it): a known upstream defect whose
# result is garbage pixels, not a memory access. It also copies 0 bytes to a null buffer for a
# PNG whose IDAT chunk is empty (memcpy(NULL, p, 0) in stbi__getn): undefined by the letter of C,
# harmless in practice. Neither is reported, so fuzzing goes on to the rest; ASan still checks
# every memory access in this file.
set_source_files_properties(src/preprocess/image_decode.cpp PROPERTIES COMPILE_OPTIONS
                            "-fno-sanitize=shift-exponent;-fno-sanitize=nonnull-attribute")
