// Where the page's weights come from: the built-in checkpoints of weights/index.json, a URL a link
// names, a file the user opened. The browser fetches and caches (platform/weights_fetch.js); this is
// the bookkeeping and the checks (the content hash before parsing, then the core's reader), with no
// ImGui or browser in it, so it is tested natively.
#pragma once
#include "share_link.h"
#include "weights_index.h"
#include "weights_slot.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sprites {

// The page's own checkpoints, relative to the page: weights/index.json and the files it lists.
constexpr const char* kBuiltinWeightsFolder = "weights/";
inline std::string builtin_index_url() { return std::string(kBuiltinWeightsFolder) + kWeightsIndexFile; }
constexpr const char* kIndexFetchKey = "index";  // the fetch of that index

struct WeightsEntry {
  enum class State { fetching, ready, failed };
  std::string key;    // "final" (a checkpoint id), "url:<url>", "file:<hash>"
  std::string label;  // for people: "epoch 4", "final (epoch 31)", the URL, the file name
  std::string url;    // where it is fetched from; "" for opened files
  std::string hash;   // expected fnv1a64 hex: all 16 digits (index) or a prefix (link); "" = any
  State state = State::fetching;
  size_t received = 0, total = 0;  // bytes, while fetching
  std::string error;                // when failed: one line
  std::shared_ptr<WeightsSlot> slot;  // shared when a file is also known by the URL it was published at
};

// Asks the platform for the bytes at `url`, stored under `key`; `hash` lets it answer from its cache.
// The answer comes back through arrived() or failed(), progress() meanwhile.
using FetchWeights = std::function<void(const std::string& key, const std::string& url, const std::string& hash)>;

// For people: the checkpoint's label and the epoch its file says, "final (epoch 31)", "latest
// (epoch 4)"; "epoch 4" alone where the label says it.
std::string checkpoint_label(const WeightsIndexEntry& ix);

class WeightsLibrary {
 public:
  explicit WeightsLibrary(FetchWeights fetch) : fetch_(std::move(fetch)) {}

  // The built-in checkpoints, from the index at `base` (a folder URL ending in '/'). Called again
  // while a run trains (run_following.h): a run checkpoint whose file changed is forgotten, so asking
  // again fetches the new one (one still on its way goes with the next index). Returns whether the
  // checkpoints (ids or files) differ from the last index's.
  bool set_index(const WeightsIndex& index, const std::string& base);
  const std::vector<WeightsIndexEntry>& index() const { return index_.weights; }
  bool share_by_url() const { return index_.share_by_url; }
  bool live() const { return index_.live; }  // staged again as its run trains: asked for again
  const WeightsIndexEntry* index_entry(const std::string& id) const;
  // What "final" opens on this page: final itself, or the newest epoch of a run still training
  // (latest, ep8, ...), or the index's first model when it lists no run.
  std::string final_or_newest() const;
  const TrainingCurve& training() const { return index_.training; }  // of the run its epoch checkpoints come from
  // Where on that curve the index's run checkpoints stand (final, ep8, ...: in the index's order);
  // those whose epoch the curve has no row for are left out.
  struct CurveMark {
    std::string id;
    int64_t step;
  };
  std::vector<CurveMark> checkpoint_marks() const;

  // The entry for `key`, fetching it the first time it is asked for: a checkpoint id of the index,
  // or "url:<url>" with the hash prefix a link gave. Null for ids the index does not list.
  WeightsEntry* request(const std::string& key, const std::string& hash = "");
  WeightsEntry* find(const std::string& key);
  std::vector<const WeightsEntry*> entries() const;  // by key
  // The entry's label, with its hash where another entry has the same one (the
  // sprites_final.safetensors of two runs, both opened).
  std::string shown_label(const WeightsEntry& e) const;
  WeightsSlot* ready(const std::string& key);  // null unless loaded
  // The same, shared: a sampler holds it so that a newer index may replace the entry meanwhile.
  std::shared_ptr<WeightsSlot> ready_slot(const std::string& key);
  // A failed entry is forgotten, so asking again fetches again.
  void forget_failed(const std::string& key);

  void progress(const std::string& key, size_t received, size_t total);
  // Checks the hash, then parses; the entry ends ready or failed. Returns the entry (null if unknown).
  WeightsEntry* arrived(const std::string& key, std::vector<uint8_t> bytes);
  void failed(const std::string& key, const std::string& message);
  // A file the user opened (picker or drop): parsed at once, under "file:<hash>".
  WeightsEntry& add_file(const std::string& name, std::vector<uint8_t> bytes);
  // The same loaded weights under "url:<url>" too: a local file the user has published there.
  WeightsEntry& alias_url(const std::string& key, const std::string& url);

 private:
  FetchWeights fetch_;
  WeightsIndex index_;
  std::string base_;
  std::map<std::string, std::unique_ptr<WeightsEntry>> entries_;
  void settle(WeightsEntry& e);  // ready if its slot loaded, else failed with the slot's error
};

}  // namespace sprites
