#include "lab_downloads.h"

#include "browser.h"
#include "grid_downloads.h"
#include "lab_views.h"
#include "png_writer.h"
#include "share_link.h"
#include "sprite_background.h"
#include "studio.h"

#include <algorithm>
#include <string>

namespace sprites {

namespace {

constexpr int kInterpolationFrameMs = 167;  // the view's animation: 6 frames a second

bool is_interpolation(const LabKind& k) { return std::string(k.id) == "interpolate"; }

std::string lab_download_name(const Studio& s, const LabKind& k) {
  const std::string seed = std::to_string(s.lab->state.params.seed);
  if (is_interpolation(k)) return "interpolation-" + seed + "-" + std::to_string(s.lab->panels.front().params.first_index) + ".png";
  return std::string(std::string(k.id) == "compare" ? "ddpm-vs-ddim" : k.id) + "-" + seed + ".png";
}

}  // namespace

bool lab_download_ready(const Studio& s, const LabKind& k) {
  if (!s.lab || s.lab->kind != k.id || !s.lab->done() || s.lab->panels.empty()) return false;
  return std::all_of(s.lab->panels.begin(), s.lab->panels.end(), [](const LabPanel& l) { return l.gen && l.gen->finished(); });
}

void download_lab(const Studio& s, const LabKind& k) {
  if (!lab_download_ready(s, k)) return;
  const auto& panels = s.lab->panels;
  std::string rows;
  for (const LabPanel& l : panels) rows += (rows.empty() ? "" : ", ") + l.title;
  const std::string link = shareable_link(s, s.lab->state);
  if (is_interpolation(k)) {
    // There and back: frames 0 .. n-1 .. 1, then the loop starts again at 0.
    std::vector<Image> frames;
    for (size_t i = 0; i < panels.size(); ++i) frames.push_back(sprite_sheet(panels[i].gen->pixels(), 1, 16, 1, kLabDownloadScale, s.downloads.transparent));
    for (size_t i = panels.size() - 2; i >= 1 && i < panels.size(); --i) frames.push_back(Image(frames[i]));
    const std::vector<int> delays(frames.size(), kInterpolationFrameMs);
    const std::string what = "sprite " + std::to_string(panels.front().params.first_index) + "'s noise, context from " +
                             format_context(panels.front().params.context) + " to " + format_context(panels.back().params.context) +
                             " (" + rows + ")";
    browser::download(lab_download_name(s, k), encode_apng(frames, delays, download_text(link, what)), "image/png");
    return;
  }
  const int count = panels.front().params.count;
  std::vector<uint8_t> all;
  for (const LabPanel& l : panels) all.insert(all.end(), l.gen->pixels().begin(), l.gen->pixels().end());
  // A row of 64 sprites at 8x would be 8,700 pixels wide.
  const int scale = count <= 16 ? kLabDownloadScale : kLabDownloadScale / 2;
  const Image sheet = sprite_sheet(all, static_cast<int>(panels.size()) * count, 16, count, scale, s.downloads.transparent);
  browser::download(lab_download_name(s, k), encode_png(sheet, download_text(link, "rows: " + rows)), "image/png");
}

}  // namespace sprites
