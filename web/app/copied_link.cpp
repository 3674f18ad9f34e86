#include "copied_link.h"

#include "checkpoint_files.h"

namespace sprites {

CopiedLink copied_link(const std::string& hash, bool ok, const std::string& why, const std::string& weights_id,
                       const std::string& epoch, bool live) {
  CopiedLink c;
  c.hash = hash;
  c.failed = !ok;
  c.note = ok ? "Link copied." : "The browser did not copy the link (" + (why.empty() ? std::string("no reason given") : why) +
                                     "): copy it from the address bar.";
  // The link names the file's hash (w=latest.<hash>), which the next epoch changes.
  if (live && weights_id == kLatestCheckpoint)
    c.note += " It names epoch " + epoch +
              " of a run still training: the next epoch replaces that file, and the link opens only until then. "
              "To share the run, publish it once it has ended (scripts/publish).";
  return c;
}

}  // namespace sprites
