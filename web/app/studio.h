// The sprite studio: its state and its ImGui frame. Knows nothing of SDL or the browser beyond the
// small platform interfaces (textures, browser services).
#pragma once
#include "engine.h"
#include "generation.h"
#include "lab_views.h"
#include "share_link.h"
#include "sprite_texture.h"
#include "weights_slot.h"

#include <memory>
#include <string>
#include <vector>

namespace sprites {

struct Studio {
  EngineInfo engine;
  std::string build;                   // "st" or "mt"
  std::vector<std::unique_ptr<WeightsSlot>> weights;
  ShareState state;                    // everything a share link carries
  std::vector<float> context_before_unconditional;
  std::unique_ptr<Generation> gen;
  std::string gen_error;
  std::unique_ptr<LabRun> lab;         // compare / checkpoints / interpolate
  SpriteTexture grid_tex, sel_tex, x_tex, x0_tex;
  int selected = 0, scrub = -1, shown_snapshot = -2;
  std::string link_error, published_hash;
  std::string open_view;               // a tab a link asked for, selected on the next frame
  long frames = 0;
  int last_vertices = 0;
  int window_w = 0, window_h = 0, drawable_w = 0, drawable_h = 0;  // CSS pixels, device pixels
  int generations = 0;                 // finished generations
  double first_grid_ms = -1;           // page start to first finished grid
  double start_ms = 0;
};

void studio_init(Studio& s, const std::string& build, double now_ms);
// Applies a share link (the URL hash as the address bar holds it, on load and on every hashchange):
// its settings, view and a generation; one that cannot be read gives a one-line message and the defaults.
void studio_open_link(Studio& s, const std::string& hash);
void studio_frame(Studio& s, double now_ms);

WeightsSlot* find_weights(Studio& s, const std::string& id);  // null if absent or not loaded
WeightsSlot* active_weights(Studio& s);
// Sprites per frame slice: single-threaded builds split big steps; with workers a step is one slice.
size_t slice_rows(const Studio& s);
// Starts a generation with the current settings (cancels a running one).
void studio_generate(Studio& s);

}  // namespace sprites
