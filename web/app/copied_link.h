// What the page says after "Copy link": that the link is on the clipboard, or, where the browser
// refused (no clipboard outside https and localhost, a denied permission), why and where to copy
// it by hand; for the newest epoch of a run still training, that the link opens only until the
// next epoch replaces that file; and, when the controls moved since the grid on screen was drawn,
// that the link opens the controls' settings, not that grid. No ImGui, so it is tested natively.
#pragma once
#include <string>

namespace sprites {

struct CopiedLink {
  std::string hash;  // the link it is about: the note shows while the address still holds it
  std::string note;  // one or two sentences
  bool failed = false;
};

struct LinkFacts {
  std::string weights_id, epoch;  // the link's weights
  bool live = false;              // their index is a run still training
  bool grid_older = false;        // the grid on screen was drawn before the controls last moved
};

CopiedLink copied_link(const std::string& hash, bool ok, const std::string& why, const LinkFacts& facts);

}  // namespace sprites
