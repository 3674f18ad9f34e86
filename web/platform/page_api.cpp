#include "page_api.h"

#include <emscripten.h>
#include <nlohmann/json.hpp>

namespace {
const sprites::Studio* g_studio = nullptr;
std::string g_gl_version;
std::string g_json;  // keeps the returned C string alive until the next call
}  // namespace

namespace sprites {
void page_api_attach(const Studio* studio, const char* gl_version) {
  g_studio = studio;
  g_gl_version = gl_version ? gl_version : "";
}
}  // namespace sprites

extern "C" EMSCRIPTEN_KEEPALIVE const char* sprites_status_json() {
  nlohmann::json j;
  if (!g_studio) {
    j["ready"] = false;
  } else {
    const auto& s = *g_studio;
    j = {{"ready", true},
         {"build", s.build},
         {"xnnpack", s.engine.ok},
         {"xnnpack_error", s.engine.message},
         {"threads", s.engine.threads},
         {"gl", g_gl_version},
         {"frames", s.frames},
         {"vertices", s.last_vertices},
         {"weights", s.weights_meta},
         {"weights_error", s.weights_error}};
  }
  g_json = j.dump();
  return g_json.c_str();
}
