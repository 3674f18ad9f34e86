#include "weights_index.h"

#include "checkpoint_files.h"
#include "printable.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace sprites {

static constexpr const char* kFormat = "sprites-weights-index/1";

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
  if (j.contains("share_by_url")) {
    if (!j["share_by_url"].is_boolean()) throw fail("share_by_url is not true or false");
    out.share_by_url = j["share_by_url"].get<bool>();
  }
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
  return out;
}

std::string weights_index_json(const WeightsIndex& index) {
  nlohmann::json list = nlohmann::json::array();
  for (auto& e : index.weights)
    list.push_back({{"id", e.id}, {"file", e.file}, {"bytes", e.bytes}, {"fnv1a64", e.hash}, {"epoch", e.epoch}});
  return nlohmann::json{{"format", kFormat}, {"share_by_url", index.share_by_url}, {"weights", list}}.dump(1) + "\n";
}

}  // namespace sprites
