#include "share_link.h"

#include "checkpoint_files.h"
#include "checksum.h"
#include "parse_number.h"
#include "printable.h"
#include "repaint_mask.h"
#include "samplers/sampler_table.h"
#include "split_list.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>

namespace sprites {

namespace {

// As encodeURIComponent: a URL inside the hash keeps its own '&', '=' and '#' out of the link's syntax.
std::string percent_encode(const std::string& in) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || std::strchr("-_.!~*'()", c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string format_context(const std::vector<float>& context) {
  std::string out;
  for (size_t i = 0; i < context.size(); ++i) out += (i ? "," : "") + format_float(context[i]);
  return out;
}

std::vector<float> first_label_context(int n_cfeat) {
  std::vector<float> context(static_cast<size_t>(std::max(n_cfeat, 0)), 0.0f);
  if (n_cfeat > 0) context[0] = 1;
  return context;
}

std::string encode_share_link(const ShareState& s) {
  using std::to_string;
  const SampleParams& p = s.params;
  std::string o = "v=" + to_string(kShareLinkVersion) + "&w=" + s.weights_id + (s.weights_hash.empty() ? "" : "." + s.weights_hash) +
                  "&c=" + format_context(p.context) + "&s=" + p.sampler + "&n=" + to_string(p.steps) + "&e=" + format_float(p.eta) +
                  "&g=" + format_float(p.guidance) + "&seed=" + to_string(p.seed) + "&k=" + to_string(p.count) +
                  (s.selected > 0 ? "&sel=" + to_string(s.selected) : "") + "&view=" + s.view;
  if (s.weights_id == kUrlWeights) o += "&u=" + percent_encode(s.weights_url);
  if (s.live) o += "&live=1";
  if (s.view == "noising") o += "&t=" + to_string(s.noising_t) + (s.noising_over_training ? "&training=1" : "");
  // Hex, as the link's hashes: 768 bytes of a 16x16 sprite make 1,536 characters, which any
  // browser and chat program carries.
  if (!p.init.empty()) o += "&init=" + hex_bytes(p.init) + "&strength=" + format_float(p.strength);
  if (!p.mask.empty()) o += "&mask=" + hex_bytes(pack_mask(p.mask));  // a bit a pixel: 64 characters
  if (!p.mask.empty() && p.resample > 1) o += "&resample=" + to_string(p.resample);
  if (s.colours > 0) o += "&colours=" + to_string(s.colours);
  if (!s.palette.empty()) o += "&palette=" + format_palette(s.palette);
  return o;
}

static const std::string kUrlKey = std::string(kUrlWeights) + ":", kFileKey = std::string(kFileWeights) + ":";

std::string weights_key(const ShareState& s) {
  if (s.weights_id == kUrlWeights) return kUrlKey + s.weights_url;
  if (s.weights_id == kFileWeights) return kFileKey + link_hash(s.weights_hash);  // the digits a page names a file by
  return s.weights_id;
}

ShareState weights_of_key(const std::string& key, const std::string& hash) {
  ShareState s;
  s.weights_hash = hash;
  if (key.rfind(kUrlKey, 0) == 0) {
    s.weights_id = kUrlWeights;
    s.weights_url = key.substr(kUrlKey.size());
  } else if (key.rfind(kFileKey, 0) == 0) {
    s.weights_id = kFileWeights;
    s.weights_hash = key.substr(kFileKey.size());
  } else {
    s.weights_id = key;
  }
  return s;
}

namespace {

// One key=value field of a hash: its decoded value, and the text as the address bar held it, which
// messages quote.
struct Field {
  std::string value, written;
};

// Links the page makes need no percent-encoding, but a chat program may encode characters and a link
// cut short can end inside a sequence; every such case is a message, never an exception elsewhere.
bool percent_decode(const std::string& in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size() || hex_value(in[i + 1]) < 0 || hex_value(in[i + 2]) < 0) return false;
    out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
    i += 2;
  }
  return true;
}

std::invalid_argument bad(const Field& f, const std::string& why) {
  return std::invalid_argument("'" + printable(f.written) + "' " + why);
}

float parse_float(const Field& f, const std::string& v, float lo, float hi) {
  const auto x = parse_float_in(v, lo, hi);
  if (!x) throw bad(f, "is not a number in [" + format_float(lo) + ", " + format_float(hi) + "]");
  return *x;
}

long long parse_int(const Field& f, long long lo, long long hi) {
  // Digits only: no sign, no spaces, no hex; links are made by the page, anything else is damage.
  const std::string& v = f.value;
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos) throw bad(f, "is not a whole number");
  const auto x = parse_int_in(v, lo, hi);
  if (!x) throw bad(f, "is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
  return *x;
}

// `want` bytes written as hex_bytes writes them (a starting sprite's RGB8 bytes, a mask's bits).
std::vector<uint8_t> parse_hex_field(const std::string& key, const Field& f, size_t want, const char* what) {
  const std::string& v = f.value;
  if (v.size() != 2 * want)
    throw std::invalid_argument("'" + key + "=' holds " + std::to_string(v.size()) + " hex digits, not the " + std::to_string(2 * want) +
                                " of " + what + " (is the link cut short?)");
  // Lower case only, as hex_bytes writes it: a link is made by the page, anything else is damage.
  if (v.find_first_not_of("0123456789abcdef") != std::string::npos) throw bad(f, "is not lower-case hex");
  std::vector<uint8_t> out(want);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(hex_value(v[2 * i]) * 16 + hex_value(v[2 * i + 1]));
  return out;
}

}  // namespace

ShareState parse_share_link(const std::string& hash_in, int n_cfeat) {
  const std::string hash = !hash_in.empty() && hash_in[0] == '#' ? hash_in.substr(1) : hash_in;
  std::map<std::string, Field> kv;
  for (const std::string& part : split_list(hash, '&')) {
    const auto eq = part.find('=');
    std::string key;
    Field f{"", part};
    if (eq == std::string::npos || eq == 0) throw bad(f, "is not key=value");
    if (!percent_decode(part.substr(0, eq), key) || !percent_decode(part.substr(eq + 1), f.value))
      throw bad(f, "has broken percent-encoding");
    if (!kv.emplace(key, f).second) throw std::invalid_argument("'" + printable(key) + "' appears twice");
  }
  if (!kv.count("v")) throw std::invalid_argument("no format version (v=)");
  if (kv["v"].value != std::to_string(kShareLinkVersion))
    throw bad(kv["v"], "is a format version this page does not read (it reads version " + std::to_string(kShareLinkVersion) + ")");
  static const std::set<std::string> known = {"v", "w", "u", "c", "s", "n", "e", "g", "seed", "k", "view", "live", "init", "strength", "mask", "resample", "t", "training", "sel", "colours", "palette"};
  for (auto& [k, f] : kv)
    if (!known.count(k)) throw bad(f, "is an unknown field");

  ShareState st;
  SampleParams& p = st.params;
  p.context = first_label_context(n_cfeat);  // empty: "not given", for weights not known yet
  if (kv.count("w")) {
    const std::string& w = kv["w"].value;
    const auto dot = w.find('.');
    st.weights_id = w.substr(0, dot);
    st.weights_hash = dot == std::string::npos ? "" : w.substr(dot + 1);
    const bool elsewhere = st.weights_id == kUrlWeights || st.weights_id == kFileWeights;
    if (!elsewhere && !find_checkpoint(st.weights_id)) throw bad(kv["w"], "names unknown weights");
    if (st.weights_hash.size() > 16 || st.weights_hash.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw bad(kv["w"], "has a weights hash that is not hex");
    if (elsewhere && st.weights_hash.size() < kLinkHashDigits)
      throw bad(kv["w"], "needs at least " + std::to_string(kLinkHashDigits) + " hex digits of the weights' hash");
  }
  if (st.weights_id == kUrlWeights) {
    if (!kv.count("u") || kv["u"].value.empty()) throw std::invalid_argument("'w=url...' needs the weights' URL (u=)");
    st.weights_url = kv["u"].value;
    if (st.weights_url.find_first_of(" \t\r\n") != std::string::npos) throw bad(kv["u"], "is not a URL");
  } else if (kv.count("u")) {
    throw bad(kv["u"], "is a weights URL, but w does not name url weights");
  }
  if (kv.count("c")) {
    std::vector<float> c;
    for (const std::string& item : split_list(kv["c"].value, ',')) c.push_back(parse_float(kv["c"], item, 0, 1));
    if (n_cfeat > 0 && static_cast<int>(c.size()) != n_cfeat)
      throw bad(kv["c"], "has " + std::to_string(c.size()) + " values, the model has " + std::to_string(n_cfeat) + " labels");
    p.context = c;
  }
  if (kv.count("s")) {
    if (!find_sampler(kv["s"].value)) throw bad(kv["s"], "names an unknown sampler (" + sampler_id_list() + ")");
    p.sampler = kv["s"].value;
  }
  if (kv.count("n")) p.steps = static_cast<int>(parse_int(kv["n"], 1, 500));
  if (kv.count("e")) p.eta = parse_float(kv["e"], kv["e"].value, 0, 1);
  if (kv.count("g")) p.guidance = parse_float(kv["g"], kv["g"].value, 0, 20);
  if (kv.count("seed")) p.seed = static_cast<uint64_t>(parse_int(kv["seed"], 0, SampleParams::kMaxSeed));
  if (kv.count("k")) p.count = static_cast<int>(parse_int(kv["k"], 1, 64));
  if (kv.count("sel")) {
    st.selected = static_cast<int>(parse_int(kv["sel"], 0, 63));
    if (st.selected >= p.count) throw bad(kv["sel"], "names a sprite the grid of " + std::to_string(p.count) + " does not have (k=)");
  }
  if (kv.count("view")) {
    static const std::set<std::string> views = {"grid", "denoise", "compare", "checkpoints", "interpolate", "noising"};
    if (!views.count(kv["view"].value)) throw bad(kv["view"], "names an unknown view");
    st.view = kv["view"].value;
  }
  if (kv.count("t")) {
    if (st.view != "noising") throw bad(kv["t"], "is the Noising view's timestep, but the link shows another view (view=noising)");
    st.noising_t = static_cast<int>(parse_int(kv["t"], 1, 1000));  // the model's T clamps it
  }
  if (kv.count("training")) {
    if (st.view != "noising") throw bad(kv["training"], "shows the Noising view's curves over training, but the link shows another view (view=noising)");
    st.noising_over_training = parse_int(kv["training"], 0, 1) == 1;
  }
  if (kv.count("live")) st.live = parse_int(kv["live"], 0, 1) == 1;
  if (kv.count("init")) {
    p.init = parse_hex_field("init", kv["init"], kInitBytes, "a 16x16 RGB sprite");
    if (kv.count("strength")) p.strength = parse_float(kv["strength"], kv["strength"].value, 0, 1);
    if (p.strength == 0) throw bad(kv["strength"], "leaves nothing to vary: a strength is above 0");
  } else if (kv.count("strength")) {
    throw bad(kv["strength"], "is a variation's strength, but the link has no starting sprite (init=)");
  }
  if (kv.count("mask")) {
    if (!kv.count("init")) throw bad(kv["mask"], "says which pixels of a starting sprite to redraw, but the link has none (init=)");
    p.mask = unpack_mask(parse_hex_field("mask", kv["mask"], kMaskBytes, "a 16x16 mask"), 8 * kMaskBytes);
    if (redrawn_pixels(p.mask) == 0) throw bad(kv["mask"], "marks no pixel to redraw");
  }
  if (kv.count("resample")) {
    if (!kv.count("mask")) throw bad(kv["resample"], "fits redrawn pixels to kept ones, but the link has no mask (mask=)");
    p.resample = static_cast<int>(parse_int(kv["resample"], 1, SampleParams::kMaxResample));
  }
  if (kv.count("colours")) {
    st.colours = static_cast<int>(parse_int(kv["colours"], 0, kMaxColours));
    if (const std::string why = colours_refusal(st.colours); !why.empty()) throw bad(kv["colours"], why);
  }
  if (kv.count("palette")) {
    try {
      st.palette = parse_palette(kv["palette"].value);
    } catch (const std::invalid_argument& e) {
      throw bad(kv["palette"], std::string("is not a palette: ") + e.what());
    }
  }
  return st;
}

}  // namespace sprites
