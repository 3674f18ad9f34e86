// The studio's lab views, each a row of grids sampled one after another in frame slices:
//   compare      DDPM-500 vs DDIM-25 from the same seed, with times and the speed-up (lab 4)
//   checkpoints  the same settings on the epoch 0 / 4 / 8 / final weights (lab 2)
//   interpolate  one sprite's noise held fixed while the context moves from A to B (lab 3)
#pragma once
#include "generation.h"
#include "share_link.h"
#include "sprite_texture.h"
#include "weights_slot.h"

#include <memory>
#include <string>
#include <vector>

namespace sprites {

struct Studio;

struct LabPanel {
  std::string title, weights_id;
  SampleParams params;
  std::shared_ptr<WeightsSlot> weights;  // what gen samples from, alive while a newer index replaces it
  std::unique_ptr<Generation> gen;
  SpriteTexture tex;
  std::string error;
};

struct LabRun {
  std::string kind;               // "compare", "checkpoints", "interpolate"
  ShareState state;               // the settings it started from, which its downloads describe
  std::vector<LabPanel> panels;
  size_t current = 0;
  bool done() const { return current >= panels.size(); }
};

// One row per lab view: its id (in links, view=), its tab, what it shows and its button.
struct LabKind {
  const char* id;
  const char* title;
  const char* what;
  const char* button;
  float zoom;   // of its grids
  int per_row;  // grids a row
  const char* download;        // the button that saves the finished run (lab_downloads.h)
  const char* download_about;  // and its tooltip
};
const std::vector<LabKind>& lab_kinds();
const LabKind* find_lab_kind(const std::string& id);  // null: not a lab view

void lab_start(Studio& s, const std::string& kind);
// The controls moved since the lab view's run started: running it again would draw other grids.
bool lab_settings_moved(const Studio& s);
void lab_advance(Studio& s, double now_ms);  // one frame slice of the running lab, if any
void lab_view(Studio& s, const LabKind& kind);
// The Checkpoints view's grids are the page's run's: where the model in use is another one (a file
// opened, weights at a URL), the line that says so; "" otherwise.
std::string checkpoints_source(const Studio& s);

}  // namespace sprites
