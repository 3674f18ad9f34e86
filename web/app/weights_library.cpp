#include "weights_library.h"

#include "checkpoint_files.h"
#include "checksum.h"
#include "parse_number.h"

#include <algorithm>
#include <iterator>

namespace sprites {

std::string checkpoint_label(const WeightsIndexEntry& ix) {
  const CheckpointInfo* c = find_checkpoint(ix.id);
  if (c && !is_run_checkpoint(ix.id)) return c->label;  // another model: its epoch says little
  const std::string label = c ? c->label : ix.id, epoch = "epoch " + ix.epoch;
  return label == epoch ? label : label + " (" + epoch + ")";
}

void WeightsLibrary::settle(WeightsEntry& e) {
  if (e.slot->weights) {
    e.state = WeightsEntry::State::ready;
  } else {
    e.state = WeightsEntry::State::failed;
    e.error = e.slot->error;
    e.slot.reset();
  }
}

bool WeightsLibrary::set_index(const WeightsIndex& index, const std::string& base) {
  auto files = [](const WeightsIndex& ix) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : ix.weights) out.emplace_back(e.id, e.hash);
    return out;
  };
  const bool changed = files(index) != files(index_);
  index_ = index;
  base_ = base;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const WeightsEntry& e = *it->second;
    const WeightsIndexEntry* ix = index_entry(e.key);
    // Only a run's own exports are rewritten under the same id; other models' slots are held by
    // raw pointer (the live preview's students).
    const bool stale = is_run_checkpoint(e.key) && e.state != WeightsEntry::State::fetching && (!ix || ix->hash != e.hash);
    it = stale ? entries_.erase(it) : std::next(it);
  }
  return changed;
}

const WeightsIndexEntry* WeightsLibrary::index_entry(const std::string& id) const {
  for (auto& e : index_.weights)
    if (e.id == id) return &e;
  return nullptr;
}

std::string WeightsLibrary::final_or_newest() const {
  for (const CheckpointInfo& c : checkpoint_table())  // newest first
    if (is_run_checkpoint(c.id) && index_entry(c.id)) return c.id;
  return index_.weights.empty() ? kFinalCheckpoint : index_.weights.front().id;
}

std::vector<WeightsLibrary::CurveMark> WeightsLibrary::checkpoint_marks() const {
  std::vector<CurveMark> marks;
  for (const auto& e : index_.weights) {
    if (!is_run_checkpoint(e.id)) continue;
    const auto epoch = parse_int_in(e.epoch, 0, kMaxCurveEpoch);
    const int64_t step = epoch ? step_of_epoch(index_.training, static_cast<int>(*epoch)) : -1;
    if (step >= 0) marks.push_back({e.id, step});
  }
  return marks;
}

WeightsEntry* WeightsLibrary::find(const std::string& key) {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : it->second.get();
}

std::vector<const WeightsEntry*> WeightsLibrary::entries() const {
  std::vector<const WeightsEntry*> out;
  for (auto& [key, e] : entries_) out.push_back(e.get());
  return out;
}

std::string WeightsLibrary::shown_label(const WeightsEntry& e) const {
  const bool alike = std::any_of(entries_.begin(), entries_.end(), [&](const auto& kv) {
    return kv.second.get() != &e && kv.second->state == WeightsEntry::State::ready && kv.second->label == e.label;
  });
  return alike ? e.label + " (" + link_hash(e.hash) + ")" : e.label;
}

WeightsSlot* WeightsLibrary::ready(const std::string& key) { return ready_slot(key).get(); }

std::shared_ptr<WeightsSlot> WeightsLibrary::ready_slot(const std::string& key) {
  WeightsEntry* e = find(key);
  return e && e->state == WeightsEntry::State::ready ? e->slot : nullptr;
}

void WeightsLibrary::forget_failed(const std::string& key) {
  WeightsEntry* e = find(key);
  if (e && e->state == WeightsEntry::State::failed) entries_.erase(key);
}

WeightsEntry* WeightsLibrary::request(const std::string& key, const std::string& hash) {
  if (WeightsEntry* e = find(key)) return e;
  auto e = std::make_unique<WeightsEntry>();
  e->key = key;
  if (const ShareState w = weights_of_key(key, hash); w.weights_id == kUrlWeights) {
    e->url = w.weights_url;
    e->label = e->url;
    e->hash = hash;
  } else if (const WeightsIndexEntry* ix = index_entry(key)) {
    e->url = base_ + ix->file;
    e->label = checkpoint_label(*ix);
    e->hash = ix->hash;
    e->total = ix->bytes;
  } else {
    return nullptr;
  }
  WeightsEntry* out = e.get();
  entries_[key] = std::move(e);
  fetch_(out->key, out->url, out->hash);
  return out;
}

void WeightsLibrary::progress(const std::string& key, size_t received, size_t total) {
  WeightsEntry* e = find(key);
  if (!e || e->state != WeightsEntry::State::fetching) return;
  e->received = received;
  if (total) e->total = total;
}

WeightsEntry* WeightsLibrary::arrived(const std::string& key, std::vector<uint8_t> bytes) {
  WeightsEntry* e = find(key);
  if (!e || e->state != WeightsEntry::State::fetching) return e;
  e->received = e->total = bytes.size();
  const std::string hash = fnv1a64_hex(bytes);
  if (hash.compare(0, e->hash.size(), e->hash) != 0) {
    failed(key, e->label + ": the file's hash " + hash.substr(0, std::max(kLinkHashDigits, e->hash.size())) +
                    " is not the " + e->hash + " expected: it changed since the link was made");
    return e;
  }
  e->slot = load_weights_slot(key, std::move(bytes), e->label);
  settle(*e);
  return e;
}

void WeightsLibrary::failed(const std::string& key, const std::string& message) {
  WeightsEntry* e = find(key);
  if (!e) return;
  e->state = WeightsEntry::State::failed;
  e->error = message;
}

WeightsEntry& WeightsLibrary::add_file(const std::string& name, std::vector<uint8_t> bytes) {
  auto e = std::make_unique<WeightsEntry>();
  e->label = name;
  e->received = e->total = bytes.size();
  e->slot = load_weights_slot("", std::move(bytes), name);  // an export or the course's .pth
  e->hash = e->slot->hash;
  ShareState file;
  file.weights_id = kFileWeights;
  file.weights_hash = link_hash(e->hash);
  e->key = weights_key(file);
  e->slot->id = e->key;
  settle(*e);
  WeightsEntry& out = *e;
  entries_[out.key] = std::move(e);
  return out;
}

WeightsEntry& WeightsLibrary::alias_url(const std::string& key, const std::string& url) {
  WeightsEntry& from = *find(key);
  auto e = std::make_unique<WeightsEntry>();
  ShareState at;
  at.weights_id = kUrlWeights;
  at.weights_url = url;
  e->key = weights_key(at);
  e->label = url;
  e->url = url;
  e->hash = from.hash;
  e->state = from.state;
  e->received = e->total = from.total;
  e->slot = from.slot;
  WeightsEntry& out = *e;
  entries_[out.key] = std::move(e);
  return out;
}

}  // namespace sprites
