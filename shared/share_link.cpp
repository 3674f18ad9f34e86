#include "share_link.h"

#include "checkpoint_files.h"
#include "parse_number.h"
#include "samplers/sampler_table.h"

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace sprites {

static std::string fmt_float(float v) {
  std::ostringstream o;
  o << v;  // shortest round-trippable enough for slider values (6 significant digits)
  return o.str();
}

std::string encode_share_link(const ShareState& s) {
  const SampleParams& p = s.params;
  std::string ctx;
  for (size_t i = 0; i < p.context.size(); ++i) ctx += (i ? "," : "") + fmt_float(p.context[i]);
  std::ostringstream o;
  o << "v=" << kShareLinkVersion << "&w=" << s.weights_id << (s.weights_hash.empty() ? "" : "." + s.weights_hash)
    << "&c=" << ctx << "&s=" << p.sampler << "&n=" << p.steps << "&e=" << fmt_float(p.eta) << "&g=" << fmt_float(p.guidance)
    << "&seed=" << p.seed << "&k=" << p.count << "&view=" << s.view;
  return o.str();
}

static float parse_float(const std::string& key, const std::string& v, float lo, float hi) {
  const auto x = parse_float_in(v, lo, hi);
  if (!x) throw std::invalid_argument("'" + key + "=" + v + "' is not a number in [" + fmt_float(lo) + ", " + fmt_float(hi) + "]");
  return *x;
}

static long long parse_int(const std::string& key, const std::string& v, long long lo, long long hi) {
  // Digits only: no sign, no spaces, no hex; links are made by the page, anything else is damage.
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument("'" + key + "=" + v + "' is not a whole number");
  const auto x = parse_int_in(v, lo, hi);
  if (!x) throw std::invalid_argument("'" + key + "=" + v + "' is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
  return *x;
}

ShareState parse_share_link(const std::string& hash_in, int n_cfeat) {
  std::string hash = !hash_in.empty() && hash_in[0] == '#' ? hash_in.substr(1) : hash_in;
  std::map<std::string, std::string> kv;
  std::stringstream ss(hash);
  for (std::string part; std::getline(ss, part, '&');) {
    const auto eq = part.find('=');
    if (eq == std::string::npos || eq == 0) throw std::invalid_argument("'" + part + "' is not key=value");
    if (!kv.emplace(part.substr(0, eq), part.substr(eq + 1)).second)
      throw std::invalid_argument("'" + part.substr(0, eq) + "' appears twice");
  }
  if (!kv.count("v")) throw std::invalid_argument("no format version (v=)");
  if (kv["v"] != std::to_string(kShareLinkVersion))
    throw std::invalid_argument("format version " + kv["v"] + " is not supported (this page reads version " +
                                std::to_string(kShareLinkVersion) + ")");
  static const std::set<std::string> known = {"v", "w", "c", "s", "n", "e", "g", "seed", "k", "view"};
  for (auto& [k, v] : kv)
    if (!known.count(k)) throw std::invalid_argument("unknown field '" + k + "'");

  ShareState st;
  SampleParams& p = st.params;
  p.context.assign(static_cast<size_t>(n_cfeat), 0.0f);
  p.context[0] = 1;
  if (kv.count("w")) {
    const std::string& w = kv["w"];
    const auto dot = w.find('.');
    st.weights_id = w.substr(0, dot);
    st.weights_hash = dot == std::string::npos ? "" : w.substr(dot + 1);
    if (!find_checkpoint(st.weights_id)) throw std::invalid_argument("unknown weights 'w=" + w + "'");
    if (st.weights_hash.size() > 16 || st.weights_hash.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw std::invalid_argument("weights hash in 'w=" + w + "' is not hex");
  }
  if (kv.count("c")) {
    std::vector<float> c;
    std::stringstream cs(kv["c"]);
    for (std::string item; std::getline(cs, item, ',');) c.push_back(parse_float("c", item, 0, 1));
    if (static_cast<int>(c.size()) != n_cfeat)
      throw std::invalid_argument("context has " + std::to_string(c.size()) + " values, the model has " +
                                  std::to_string(n_cfeat) + " labels");
    p.context = c;
  }
  if (kv.count("s")) {
    if (!find_sampler(kv["s"])) throw std::invalid_argument("unknown sampler 's=" + kv["s"] + "'");
    p.sampler = kv["s"];
  }
  if (kv.count("n")) p.steps = static_cast<int>(parse_int("n", kv["n"], 1, 500));
  if (kv.count("e")) p.eta = parse_float("e", kv["e"], 0, 1);
  if (kv.count("g")) p.guidance = parse_float("g", kv["g"], 0, 20);
  if (kv.count("seed")) p.seed = static_cast<uint64_t>(parse_int("seed", kv["seed"], 0, 4294967295ll));
  if (kv.count("k")) p.count = static_cast<int>(parse_int("k", kv["k"], 1, 64));
  if (kv.count("view")) {
    static const std::set<std::string> views = {"grid", "denoise", "compare", "checkpoints", "interpolate"};
    if (!views.count(kv["view"])) throw std::invalid_argument("unknown view '" + kv["view"] + "'");
    st.view = kv["view"];
  }
  return st;
}

}  // namespace sprites
