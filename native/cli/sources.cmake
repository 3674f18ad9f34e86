# The `sprites` CLI's sources: native/CMakeLists.txt builds them natively, web/CMakeLists.txt for
# node (wasm). One list, so a new subcommand reaches both.
set(SPRITES_CLI_SOURCES
    ${CMAKE_SOURCE_DIR}/native/cli/main.cpp ${CMAKE_SOURCE_DIR}/native/cli/sample_command.cpp
    ${CMAKE_SOURCE_DIR}/native/cli/info_command.cpp ${CMAKE_SOURCE_DIR}/native/cli/quantize_command.cpp
    ${CMAKE_SOURCE_DIR}/native/cli/index_command.cpp ${CMAKE_SOURCE_DIR}/native/cli/dataset_command.cpp
    ${CMAKE_SOURCE_DIR}/native/cli/noising_command.cpp ${CMAKE_SOURCE_DIR}/native/cli/context_flag.cpp)
