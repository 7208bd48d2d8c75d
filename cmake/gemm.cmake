# The matrix-product kernels and the optimizer's update beside them (src/core/update_kernel.cpp): on
# x86-64 fcnet's register-tiled products (src/core/gemm_tiled.cpp), one build per instruction set,
# chosen at run time by the CPU (gemm_dispatch.cpp), so the default build runs AVX-512 or AVX2
# products where the CPU has them; WebAssembly, FCNET_NATIVE_ARCH and other CPUs get one build of
# Eigen's products (src/core/gemm_eigen.cpp) with the library's own flags (gemm_single.cpp).
# Included after fcnet_lib is defined.

# Compiles `source` and update_kernel.cpp as the GemmKernel gemm_kernel_<name>, with Eigen's
# namespace renamed Eigen_<name>, the update named update_parameters_<name>, and the extra flags
# given, into fcnet_lib. -fno-math-errno: the update's square roots vectorise. -ffp-contract=fast:
# the tiles' multiply-adds become FMAs where the instruction set has them.
function(fcnet_gemm_build name label source)
  add_library(fcnet_gemm_${name} OBJECT ${source} src/core/update_kernel.cpp)
  target_include_directories(fcnet_gemm_${name} PRIVATE src)
  target_link_libraries(fcnet_gemm_${name} PRIVATE Eigen3::Eigen)
  if(OpenMP_CXX_FOUND)
    target_link_libraries(fcnet_gemm_${name} PRIVATE OpenMP::OpenMP_CXX)  # products split over threads
  endif()
  target_compile_definitions(fcnet_gemm_${name} PRIVATE $<TARGET_PROPERTY:fcnet_lib,INTERFACE_COMPILE_DEFINITIONS>
    FCNET_GEMM_KERNEL=gemm_kernel_${name} FCNET_GEMM_EIGEN=Eigen_${name} FCNET_GEMM_NAME="${label}"
    FCNET_UPDATE_FUNCTION=update_parameters_${name})
  # GCC 12 warns inside its own avx512fintrin.h for Eigen's AVX-512 products (a false positive:
  # the header's `__m512 __Y = __Y;`), as "maybe" in Release and as "is used" in sanitizer builds.
  target_compile_options(fcnet_gemm_${name} PRIVATE $<TARGET_PROPERTY:fcnet_lib,INTERFACE_COMPILE_OPTIONS> ${ARGN}
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized> -Wno-uninitialized -fno-math-errno)
  target_sources(fcnet_lib PRIVATE $<TARGET_OBJECTS:fcnet_gemm_${name}>)
endfunction()

if(NOT EMSCRIPTEN AND NOT FCNET_NATIVE_ARCH AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  target_sources(fcnet_lib PRIVATE src/core/gemm_dispatch.cpp)
  # GCC vectorises plain loops 8 floats wide even for AVX-512 unless told otherwise: the update's
  # loops take 16 (the tiles choose their own width).
  set(tiled src/core/gemm_tiled.cpp)
  set_source_files_properties(${tiled} PROPERTIES COMPILE_OPTIONS -ffp-contract=fast)
  fcnet_gemm_build(avx512 "AVX-512" ${tiled} -march=x86-64-v4 -mprefer-vector-width=512)
  fcnet_gemm_build(avx2_fma "AVX2+FMA" ${tiled} -march=x86-64-v3)
  fcnet_gemm_build(sse2 "SSE2" ${tiled} -march=x86-64)
  if(FCNET_BUILD_TESTS)  # no build shares code with the others or the rest of the library
    add_test(NAME kernel_symbols COMMAND ${CMAKE_SOURCE_DIR}/tests/build/kernel_symbols.sh
      $<TARGET_OBJECTS:fcnet_gemm_avx512> $<TARGET_OBJECTS:fcnet_gemm_avx2_fma> $<TARGET_OBJECTS:fcnet_gemm_sse2>)
  endif()
else()
  target_sources(fcnet_lib PRIVATE src/core/gemm_single.cpp)
  if(EMSCRIPTEN)
    fcnet_gemm_build(single "WebAssembly" src/core/gemm_eigen.cpp)
  elseif(FCNET_NATIVE_ARCH)
    fcnet_gemm_build(single "-march=native" src/core/gemm_eigen.cpp)
  else()
    fcnet_gemm_build(single "${CMAKE_SYSTEM_PROCESSOR}" src/core/gemm_eigen.cpp)
  endif()
endif()
