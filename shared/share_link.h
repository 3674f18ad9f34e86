// The share link: a URL hash that carries a whole demo, so opening it reproduces the same pixels.
//   v=1&w=final.1a2b3c4d&c=1,0,0.6,0,0&s=ddim&n=25&e=0&g=0&seed=42&k=16&view=grid
// v format version, w weights id and short hash, c context, s sampler, n steps, e eta, g guidance,
// k sprite count, view the open view, live=1 the live preview on (absent: off), init the starting
// sprite of variations (its RGB8 bytes in hex) with strength, mask the pixels of it to redraw (a bit
// a pixel, in hex; absent: all) and resample the runs of each step (absent: 1). Weights at any URL: w=url.<hash>&u=<percent-encoded URL>, the
// hash (at least 8 hex digits of the file's fnv1a64) checked before the file is read. w=file.<hash>
// names a file only its sender has opened.
#pragma once
#include "checkpoint_files.h"
#include "sample.h"
#include "sprite_colours.h"

#include <string>

namespace sprites {

constexpr int kShareLinkVersion = 1;
constexpr size_t kInitBytes = 16 * 16 * 3;  // a link's starting sprite (init=): every model here draws 16x16 RGB
constexpr size_t kMaskBytes = 16 * 16 / 8;   // its mask (mask=), a bit a pixel

// A link names weights by the first 8 of their fnv1a64's 16 hex digits: a user's few files never
// share them, and a link stays short enough to read; a link may carry more, which are checked too.
constexpr size_t kLinkHashDigits = 8;
inline std::string link_hash(const std::string& fnv1a64_hex) { return fnv1a64_hex.substr(0, kLinkHashDigits); }

constexpr const char* kUrlWeights = "url";    // weights_id of weights at weights_url
constexpr const char* kFileWeights = "file";  // weights_id of a file opened in the page

struct ShareState {
  std::string weights_id = kFinalCheckpoint;  // an id of checkpoint_table(), kUrlWeights or kFileWeights
  std::string weights_hash;          // link_hash() of the file, or more of its digits; "" = any
  std::string weights_url;           // for kUrlWeights
  SampleParams params;
  int selected = 0;  // the sprite of the grid clicked (sel=), which the one-sprite views show
  std::string view = "grid";
  int noising_t = 250;  // the Noising view's timestep (t=, with view=noising)
  bool noising_over_training = false;  // its curves for each checkpoint of the run (training=1)
  bool live = false;  // the studio's live preview (web/app/live_preview.h); pixels are the full sampler's either way
  int colours = 0;    // each sprite's colours limited to this many (sprite_colours.h; colours=), 0: all
  Palette palette;    // and painted in these (palette=), empty: the sprite's own
};

std::string encode_share_link(const ShareState& s);

// A context as the link's c= field writes it, which the CLI's --context reads too: "1,0,0.6,0,0".
std::string format_context(const std::vector<float>& context);

// What the page and the CLI draw where no context is given: the first of `n_cfeat` labels.
std::vector<float> first_label_context(int n_cfeat);

// Parses a hash (with or without the leading '#'); `n_cfeat` is the context length the weights
// expect, 0 when they are not known yet (weights at a URL): then the caller checks it on arrival. Throws std::invalid_argument with a message a user can read for any malformed link or
// unknown version.
ShareState parse_share_link(const std::string& hash, int n_cfeat);

// The key a page keeps the link's weights under: the checkpoint id, "url:<url>" or "file:<hash>"
// (its link_hash(): a link may give more digits).
std::string weights_key(const ShareState& s);
// Its inverse: the weights fields (id, url, hash) of a state for `key`; `hash` is the short hash
// links carry (a file's key holds its own).
ShareState weights_of_key(const std::string& key, const std::string& hash);

}  // namespace sprites
