# zlib's configure check results for WebAssembly, written by FCNET_WASM_RECORD_CHECKS=1 scripts/wasm-deps.sh.
# for: emscripten 3.1.6, zlib_1.2.13.dfsg.orig.tar.bz2
set(HAVE_FSEEKO "1" CACHE INTERNAL "")
set(HAVE_OFF64_T "TRUE" CACHE INTERNAL "")
set(HAVE_STDDEF_H "1" CACHE INTERNAL "")
set(HAVE_STDINT_H "1" CACHE INTERNAL "")
set(HAVE_SYS_TYPES_H "1" CACHE INTERNAL "")
set(OFF64_T "9" CACHE INTERNAL "")
set(OFF64_T_run_result "9" CACHE INTERNAL "")
set(Z_HAVE_UNISTD_H "1" CACHE INTERNAL "")
