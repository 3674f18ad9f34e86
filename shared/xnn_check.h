// XNNPACK status -> exception, for the core's operator set-up and runs.
#pragma once
#include <xnnpack.h>

#include <stdexcept>
#include <string>

namespace sprites {

inline void xnn_check(xnn_status s, const char* what) {
  if (s != xnn_status_success)
    throw std::runtime_error(std::string("XNNPACK ") + what + " failed (status " + std::to_string(s) + ")");
}

}  // namespace sprites
