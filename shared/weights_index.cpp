#include "weights_index.h"

#include "checkpoint_files.h"
#include "printable.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace sprites {

static constexpr const char* kFormat = "sprites-weights-index/1";

namespace {

// The points under training.<key>: `arity` numbers each, all but the last whole (steps, epochs),
// the last a loss; read as doubles (the caller bounds steps far below 2^53). Not a template on the
// arity: one copy of this in the page's wasm, not two.
std::vector<std::vector<double>> training_points(const nlohmann::json& t, const char* key, size_t arity, size_t most,
                                                 const std::string& name) {
  std::vector<std::vector<double>> out;
  const auto it = t.find(key);
  if (it == t.end()) return out;
  const std::string where = name + ": training." + key;
  if (!it->is_array() || it->size() > most) throw std::runtime_error(where + " is not a list of at most " + std::to_string(most) + " points");
  for (const auto& p : *it) {
    if (!p.is_array() || p.size() != arity) throw std::runtime_error(where + " has a point that is not " + std::to_string(arity) + " numbers");
    std::vector<double> v(arity);
    for (size_t i = 0; i < arity; ++i) {
      const bool loss = i + 1 == arity;
      if (loss ? !p[i].is_number() : !p[i].is_number_unsigned())
        throw std::runtime_error(where + " has a point that is not " + (loss ? "a loss >= 0" : "whole numbers"));
      v[i] = p[i].get<double>();
    }
    if (!(v.back() >= 0) || !std::isfinite(v.back())) throw std::runtime_error(where + " has a point that is not a loss >= 0");
    out.push_back(std::move(v));
  }
  return out;
}

// "training": steps and epochs whole and increasing, losses finite.
TrainingCurve parse_training(const nlohmann::json& t, const std::string& name) {
  if (!t.is_object()) throw std::runtime_error(name + ": training is not an object");
  constexpr double kMaxStep = 1e12;
  TrainingCurve c;
  for (const auto& p : training_points(t, "loss", 2, kMaxCurveMeans, name)) {
    if (p[0] < 1 || p[0] > kMaxStep || (!c.loss.empty() && p[0] <= static_cast<double>(c.loss.back().step)))
      throw std::runtime_error(name + ": training.loss steps are not increasing from 1");
    c.loss.push_back({static_cast<int64_t>(p[0]), p[1]});
  }
  for (const auto& p : training_points(t, "val", 3, kMaxCurveEpochs, name)) {
    if (p[0] > static_cast<double>(kMaxCurveEpoch) || p[1] > kMaxStep || (!c.val.empty() && p[0] <= c.val.back().epoch))
      throw std::runtime_error(name + ": training.val epochs are not increasing");
    c.val.push_back({static_cast<int>(p[0]), static_cast<int64_t>(p[1]), p[2]});
  }
  return c;
}

// Four significant digits: what a plot shows, in a quarter of the bytes of a double's shortest form.
double rounded(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return std::strtod(buf, nullptr);
}

}  // namespace

WeightsIndex parse_weights_index(const std::string& text, const std::string& name) {
  auto fail = [&](const std::string& what) { return std::runtime_error(name + ": " + what); };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    throw fail("not valid JSON");
  }
  auto text_of = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
  if (!j.is_object() || !j.contains("format") || text_of(j["format"]) != kFormat || !j.contains("weights") ||
      !j["weights"].is_array())
    throw fail(std::string("not a weights index (") + kFormat + ")");
  WeightsIndex out;
  auto flag = [&](const char* key, bool& into) {
    if (!j.contains(key)) return;
    if (!j[key].is_boolean()) throw fail(std::string(key) + " is not true or false");
    into = j[key].get<bool>();
  };
  flag("share_by_url", out.share_by_url);
  flag("live", out.live);
  for (auto& e : j["weights"]) {
    WeightsIndexEntry w;
    try {
      w.id = e.at("id").get<std::string>();
      w.file = e.at("file").get<std::string>();
      w.hash = e.at("fnv1a64").get<std::string>();
      w.epoch = e.contains("epoch") ? e.at("epoch").get<std::string>() : "?";
      // get<size_t> would convert a fraction, a negative or a float past 2^64 without a word.
      if (!e.at("bytes").is_number_unsigned()) throw fail("bytes of '" + printable(w.id) + "' is not a whole number");
      w.bytes = e.at("bytes").get<size_t>();
    } catch (const nlohmann::json::exception&) {
      throw fail("every entry needs id, file, bytes and fnv1a64");
    }
    if (!find_checkpoint(w.id)) throw fail("unknown checkpoint id '" + printable(w.id) + "'");
    if (w.file.empty() || w.file.find_first_of("/\\?#%") != std::string::npos || w.file[0] == '.')
      throw fail("file '" + printable(w.file) + "' is not a plain file name");
    if (w.hash.size() != 16 || w.hash.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw fail("fnv1a64 of '" + printable(w.id) + "' is not 16 hex digits");
    out.weights.push_back(std::move(w));
  }
  if (j.contains("training")) out.training = parse_training(j["training"], name);
  return out;
}

std::string weights_index_json(const WeightsIndex& index) {
  nlohmann::json list = nlohmann::json::array();
  for (auto& e : index.weights)
    list.push_back({{"id", e.id}, {"file", e.file}, {"bytes", e.bytes}, {"fnv1a64", e.hash}, {"epoch", e.epoch}});
  nlohmann::json head{{"format", kFormat}, {"share_by_url", index.share_by_url}, {"weights", list}};
  if (index.live) head["live"] = true;
  std::string text = head.dump(1);
  if (!index.training.empty()) {
    nlohmann::json loss = nlohmann::json::array(), val = nlohmann::json::array();
    for (const auto& m : index.training.loss) loss.push_back({m.step, rounded(m.loss)});
    for (const auto& v : index.training.val) val.push_back({v.epoch, v.step, rounded(v.loss)});
    // On one line each: indented, every number of a point would take a line of its own.
    text.insert(text.size() - 2, ",\n \"training\": {\"loss\": " + loss.dump() + ",\n  \"val\": " + val.dump() + "}");
  }
  return text + "\n";
}

}  // namespace sprites
