// What the page says after "Copy link": that the link is on the clipboard, or, where the browser
// refused (no clipboard outside https and localhost, a denied permission), why and where to copy
// it by hand; and, for the newest epoch of a run still training, that the link opens only until
// the next epoch replaces that file. No ImGui, so it is tested natively.
#pragma once
#include <string>

namespace sprites {

struct CopiedLink {
  std::string hash;  // the link it is about: the note shows while the address still holds it
  std::string note;  // one or two sentences
  bool failed = false;
};

// `weights_id` and `epoch`: the link's weights; `live`: their index is a run still training.
CopiedLink copied_link(const std::string& hash, bool ok, const std::string& why, const std::string& weights_id,
                       const std::string& epoch, bool live);

}  // namespace sprites
