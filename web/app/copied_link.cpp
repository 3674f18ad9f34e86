#include "copied_link.h"

#include "checkpoint_files.h"

namespace sprites {

CopiedLink copied_link(const std::string& hash, bool ok, const std::string& why, const LinkFacts& facts) {
  CopiedLink c;
  c.hash = hash;
  c.failed = !ok;
  c.note = ok ? "Link copied." : "The browser did not copy the link (" + (why.empty() ? std::string("no reason given") : why) +
                                     "): copy it from the address bar.";
  // The link names the file's hash (w=latest.<hash>), which the next epoch changes.
  if (facts.live && facts.weights_id == kLatestCheckpoint)
    c.note += " It names epoch " + facts.epoch +
              " of a run still training: the next epoch replaces that file, and the link opens only until then. "
              "To share the run, publish it once it has ended (scripts/publish).";
  if (facts.grid_older)
    c.note += " It opens the settings as they are now, not the grid on screen, which was drawn before they "
              "changed: Generate shows what it opens.";
  return c;
}

}  // namespace sprites
