#include "download_settings.h"

namespace sprites {

std::string format_download_settings(const DownloadSettings& d) {
  return "scale=" + std::to_string(d.scale) + " transparent=" + (d.transparent ? "1" : "0");
}

std::optional<DownloadSettings> parse_download_settings(const std::string& text) {
  if (text.empty()) return DownloadSettings{};
  // Only what format_download_settings writes reads back: anything else is damage, not a setting.
  for (const int scale : kDownloadScales)
    for (const bool transparent : {false, true})
      if (text == format_download_settings({scale, transparent})) return DownloadSettings{scale, transparent};
  return std::nullopt;
}

}  // namespace sprites
