// The sprite studio's state and its ImGui frame; knows nothing of SDL, GL or the browser.
#pragma once
#include "engine.h"
#include "safetensors.h"

#include <string>

namespace sprites {

struct Studio {
  EngineInfo engine;
  std::string build;          // "st" (single thread) or "mt" (pthreads)
  std::string weights_path;
  std::map<std::string, std::string> weights_meta;
  std::string weights_error;  // shown instead of the metadata when loading failed
  long frames = 0;
  int last_vertices = 0;      // ImGui vertices drawn by the last frame
};

void studio_init(Studio& s, const std::string& build, const std::string& weights_path);
void studio_frame(Studio& s);

}  // namespace sprites
