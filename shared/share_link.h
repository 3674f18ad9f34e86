// The share link: a URL hash that carries a whole demo, so opening it reproduces the same pixels.
//   v=1&w=final.1a2b3c4d&c=1,0,0.6,0,0&s=ddim&n=25&e=0&g=0&seed=42&k=16&view=grid
// v format version, w weights id and short hash, c context, s sampler, n steps, e eta, g guidance,
// k sprite count, view the open view.
#pragma once
#include "checkpoint_files.h"
#include "sample.h"

#include <string>

namespace sprites {

constexpr int kShareLinkVersion = 1;

struct ShareState {
  std::string weights_id = kFinalCheckpoint;  // an id of checkpoint_table()
  std::string weights_hash;          // first 8 hex digits of the file's fnv1a64; "" = any
  SampleParams params;
  std::string view = "grid";
};

std::string encode_share_link(const ShareState& s);

// Parses a hash (with or without the leading '#'); `n_cfeat` is the context length the weights
// expect. Throws std::invalid_argument with a message a user can read for any malformed link or
// unknown version.
ShareState parse_share_link(const std::string& hash, int n_cfeat);

}  // namespace sprites
