#include "denoising_view.h"

#include "browser.h"
#include "grid_downloads.h"
#include "png_writer.h"
#include "sprite_pair.h"
#include "studio.h"
#include "tooltips.h"

#include <imgui.h>

namespace sprites {

namespace {

// The denoising of the selected sprite as an animated PNG, as the course shows its gif: x_t and the
// predicted x_0 side by side, one frame per kept step, the finished sprite held at the end.
void download_denoising(Studio& s) {
  std::vector<Image> frames;
  std::vector<int> delays;
  for (const Snapshot& snap : s.gen->snapshots()) {
    std::vector<uint8_t> pair = sprite_of(snap.x, s.state.selected);
    const std::vector<uint8_t> x0 = sprite_of(snap.x0, s.state.selected);
    pair.insert(pair.end(), x0.begin(), x0.end());
    frames.push_back(grid_image(pair, 2, 16, 2, kLabDownloadScale));
    delays.push_back(120);
  }
  delays.back() = 1500;
  browser::download("denoising-" + std::to_string(s.gen->params().seed) + "-" + std::to_string(s.state.selected) + ".png",
                    encode_apng(frames, delays, download_text(shareable_link(s, grid_state(s)))), "image/png");
}

}  // namespace

void denoise_view(Studio& s) {
  if (!s.gen || s.gen->snapshots().empty()) {
    ImGui::TextDisabled("Generate to watch the selected sprite being denoised.");
    return;
  }
  const auto& snaps = s.gen->snapshots();
  const int last = static_cast<int>(snaps.size()) - 1;
  int idx = s.scrub < 0 || s.scrub > last ? last : s.scrub;
  ImGui::TextWrapped("Sprite %d, step %d of %zu kept: timestep t = %d", s.state.selected, idx + 1, snaps.size(), snaps[idx].t);
  int step = idx + 1;  // counted from 1, as the line above says it
  if (ImGui::SliderInt("Step", &step, 1, last + 1)) {
    idx = step - 1;
    s.scrub = idx == last ? -1 : idx;
  }
  if (idx != s.shown_snapshot) {
    s.x0_tex.upload(sprite_of(snaps[idx].x0, s.state.selected), 1, 16, 1);
    s.x_tex.upload(sprite_of(snaps[idx].x, s.state.selected), 1, 16, 1);
    s.shown_snapshot = idx;
  }
  const char* const titles[] = {"x_t (current sample)", "predicted x_0"};
  sprite_pair(titles, s.x_tex, s.x0_tex, 12.0f);
  remember_item(s, "denoise_pair");
  ImGui::TextWrapped("DDPM adds fresh noise at every step; the \"without noise\" sampler shows why that matters "
                     "(lab 1). Predicted x_0 is the model's guess of the finished sprite at each step.");
  if (ImGui::Button("Download animation")) download_denoising(s);
  remember_item(s, "download_animation");
  tooltip("An animated PNG of the selected sprite: x_t beside predicted x_0, step by step.");
}

}  // namespace sprites
