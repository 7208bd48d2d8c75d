# cmake/onnx.cmake: fcnet_onnx, the ONNX converter (src/onnx), on Debian's libonnx-dev and libprotobuf-dev. Native only.
#
# The generated ONNX protobuf classes come from libonnx_proto (target onnx_proto, which brings
# ONNX_ML=1 and protobuf); the checker used by the tests comes from libonnx (target onnx).
include_guard(GLOBAL)

find_package(Protobuf REQUIRED)
find_package(ONNX REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
file(GLOB FCNET_ONNX_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/../src/onnx/*.cpp)
add_library(fcnet_onnx STATIC ${FCNET_ONNX_SOURCES})
target_link_libraries(fcnet_onnx PUBLIC fcnet_lib onnx_proto PRIVATE nlohmann_json::nlohmann_json)
