# Imported targets for what scripts/setup built in DEPS_DIR:
#   native: xnnpack (2024 source, upstream CMake)      web: xnnpack_st / xnnpack_mt (scripts/cmake/wasm-xnnpack)
#   json_headers, stb_headers, cli11_headers: Debian's header-only nlohmann-json, stb and CLI11.
if(EMSCRIPTEN)
  foreach(v st mt)
    add_library(xnnpack_${v} INTERFACE)
    target_include_directories(xnnpack_${v} INTERFACE ${DEPS_DIR}/wasm-${v}/include)
    target_link_libraries(xnnpack_${v} INTERFACE ${DEPS_DIR}/wasm-${v}/lib/libxnnpack.a
                                                  ${DEPS_DIR}/wasm-${v}/lib/libpthreadpool.a)
  endforeach()
  # Debian's header-only libraries, without putting /usr/include (glibc's headers) on the path.
  set(HEADERS_DIR ${CMAKE_BINARY_DIR}/debian-headers)
  file(MAKE_DIRECTORY ${HEADERS_DIR})
  foreach(d nlohmann stb CLI)
    file(CREATE_LINK /usr/include/${d} ${HEADERS_DIR}/${d} SYMBOLIC)
  endforeach()
  add_library(json_headers INTERFACE)
  target_include_directories(json_headers SYSTEM INTERFACE ${HEADERS_DIR})
  add_library(stb_headers INTERFACE)
  target_include_directories(stb_headers SYSTEM INTERFACE ${HEADERS_DIR})
  add_library(cli11_headers INTERFACE)
  target_include_directories(cli11_headers SYSTEM INTERFACE ${HEADERS_DIR})
else()
  find_package(Threads REQUIRED)
  set(XB ${DEPS_DIR}/native/xnnpack)
  add_library(xnnpack INTERFACE)
  target_include_directories(xnnpack INTERFACE ${DEPS_DIR}/src/xnnpack/include ${DEPS_DIR}/src/pthreadpool/include)
  target_link_libraries(xnnpack INTERFACE ${XB}/libXNNPACK.a ${XB}/libmicrokernels-prod.a
                        ${XB}/pthreadpool/libpthreadpool.a ${XB}/cpuinfo/libcpuinfo.a Threads::Threads m)
  # Ours stay ours: LibTorch links Debian's older XNNPACK, pthreadpool and cpuinfo, and an executable
  # that links both (sprites-bench, sprites-eval, the tests) exported these archives' symbols, so
  # the dynamic linker bound LibTorch's calls to our versions. LibTorch's CPU detection then read
  # our cpuinfo's differently laid-out data and ran ATen unvectorized (bf16 steps 1.3x fp32 in
  # sprites-bench, 1.6x in sprites-train, which links no core).
  target_link_options(xnnpack INTERFACE "LINKER:--exclude-libs,libXNNPACK.a:libmicrokernels-prod.a:libpthreadpool.a:libcpuinfo.a")
  add_library(stb_headers INTERFACE)  # /usr/include/stb, already on the native include path
  find_package(nlohmann_json 3 REQUIRED)
  add_library(json_headers INTERFACE)
  target_link_libraries(json_headers INTERFACE nlohmann_json::nlohmann_json)
endif()
