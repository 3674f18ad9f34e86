// Where the page's weights come from: the index, fetches answered out of order, the hash checked
// before the file is read, failures that leave a message, opened files and their published URL.
#include "checkpoint_files.h"
#include "checksum.h"
#include "test_util.h"
#include "weights_edit.h"
#include "weights_library.h"

#include <gtest/gtest.h>

using namespace sprites;

namespace {

struct Fetch {
  std::string key, url, hash;
};

struct LibraryTest : ::testing::Test {
  std::vector<Fetch> fetches;
  WeightsLibrary lib{[this](const std::string& k, const std::string& u, const std::string& h) { fetches.push_back({k, u, h}); }};
  std::vector<uint8_t> bytes = testutil::read_bytes(testutil::kDefaultWeights);
  std::string hash = fnv1a64_hex(bytes);
  void SetUp() override {
    lib.set_index({{{"final", "sprites_final.safetensors", bytes.size(), hash, "25"},
                    {"ep4", "sprites_ep4.safetensors", 123, "0123456789abcdef", "4"}}},
                  "weights/");
  }
};

}  // namespace

TEST(WeightsIndex, RoundTripAndOneLineErrors) {
  WeightsIndex in;
  in.weights = {{"final", "sprites_final.safetensors", 42, "0123456789abcdef", "25"}};
  in.share_by_url = true;
  EXPECT_EQ(weights_index_json(in).find("live"), std::string::npos) << "written only when true";
  EXPECT_FALSE(parse_weights_index(weights_index_json(in), "index.json").live);
  in.live = true;
  const WeightsIndex out = parse_weights_index(weights_index_json(in), "index.json");
  ASSERT_EQ(out.weights.size(), 1u);
  EXPECT_EQ(out.weights[0].file, in.weights[0].file);
  EXPECT_EQ(out.weights[0].bytes, 42u);
  EXPECT_EQ(out.weights[0].hash, in.weights[0].hash);
  EXPECT_TRUE(out.share_by_url);
  EXPECT_TRUE(out.live);
  auto error = [](const std::string& json) {
    try {
      parse_weights_index(json, "index.json");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error("{"), "index.json: not valid JSON");
  EXPECT_EQ(error(R"({"format": "sprites-weights-index/1", "share_by_url": "yes", "weights": []})"),
            "index.json: share_by_url is not true or false");
  EXPECT_EQ(error(R"({"format": "sprites-weights-index/1", "live": 1, "weights": []})"), "index.json: live is not true or false");
  EXPECT_EQ(error("[]"), "index.json: not a weights index (sprites-weights-index/1)");
  EXPECT_EQ(error(R"({"format": 88.8, "weights": []})"), "index.json: not a weights index (sprites-weights-index/1)");  // fuzz find
  const std::string head = R"({"format": "sprites-weights-index/1", "weights": [)";
  EXPECT_EQ(error(head + R"({"id": "final"}]})"), "index.json: every entry needs id, file, bytes and fnv1a64");
  EXPECT_EQ(error(head + R"({"id": "ep99", "file": "a", "bytes": 1, "fnv1a64": "0123456789abcdef"}]})"),
            "index.json: unknown checkpoint id 'ep99'");
  EXPECT_EQ(error(head + R"({"id": "final", "file": "../x", "bytes": 1, "fnv1a64": "0123456789abcdef"}]})"),
            "index.json: file '../x' is not a plain file name");
  EXPECT_EQ(error(head + R"({"id": "final", "file": "a", "bytes": 1, "fnv1a64": "0123"}]})"),
            "index.json: fnv1a64 of 'final' is not 16 hex digits");
  for (const char* bytes : {"555555555555555551507088", "-1", "1.5", "\"12\""})  // the first: a fuzz find
    EXPECT_EQ(error(head + R"({"id": "final", "file": "a", "bytes": )" + bytes + R"(, "fnv1a64": "0123456789abcdef"}]})"),
              "index.json: bytes of 'final' is not a whole number") << bytes;
}

// The Checkpoints view marks each of the run's checkpoints on its curve at the step its epoch ended;
// other models, and epochs the curve has no row for ("?", a NaN validation), are left out.
TEST(WeightsLibraryCurve, RunCheckpointsAreMarkedWhereTheirEpochEnded) {
  WeightsLibrary lib{[](const std::string&, const std::string&, const std::string&) {}};
  WeightsIndex index;
  index.weights = {{"final", "sprites_final.safetensors", 1, "0123456789abcdef", "2"},
                   {"ep4", "sprites_ep4.safetensors", 1, "0123456789abcdef", "4"},
                   {"ep0", "sprites_ep0.safetensors", 1, "0123456789abcdef", "0"},
                   {"ep8", "sprites_ep8.safetensors", 1, "0123456789abcdef", "?"},
                   {"v", "sprites_v.safetensors", 1, "0123456789abcdef", "1"}};
  index.training.val = {{0, 10, 0.3}, {1, 20, 0.2}, {2, 30, 0.1}};
  lib.set_index(index, "weights/");
  const auto marks = lib.checkpoint_marks();
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[0].id, "final");
  EXPECT_EQ(marks[0].step, 30);
  EXPECT_EQ(marks[1].id, "ep0");
  EXPECT_EQ(marks[1].step, 10);
  lib.set_index({}, "weights/");
  EXPECT_TRUE(lib.checkpoint_marks().empty());
}

// A run still training (scripts/demo --weights beside sprites-train) has no final export yet: the
// page opens its newest epoch instead of a message that "final" is missing.
TEST(WeightsLibraryDefault, FinalOrARunsNewestEpoch) {
  WeightsLibrary lib{[](const std::string&, const std::string&, const std::string&) {}};
  EXPECT_EQ(lib.final_or_newest(), "final");  // no index (yet): the page says what failed
  auto entry = [](const std::string& id) { return WeightsIndexEntry{id, checkpoint_file(id), 1, "0123456789abcdef", "0"}; };
  WeightsIndex index;
  index.weights = {entry("ep4"), entry("ep0")};
  lib.set_index(index, "weights/");
  EXPECT_EQ(lib.final_or_newest(), "ep4");
  index.weights = {entry("latest"), entry("ep8"), entry("ep4"), entry("ep0")};
  lib.set_index(index, "weights/");
  EXPECT_EQ(lib.final_or_newest(), "latest");
  index.weights.insert(index.weights.begin(), entry("final"));
  lib.set_index(index, "weights/");
  EXPECT_EQ(lib.final_or_newest(), "final");
  index.weights = {entry("v"), entry("student1")};  // no run at all
  lib.set_index(index, "weights/");
  EXPECT_EQ(lib.final_or_newest(), "v");
}

// The Model list's names: a run's checkpoint with the epoch its file says, once.
TEST(WeightsLibraryLabels, ACheckpointSaysItsEpochOnce) {
  auto entry = [](const std::string& id, const std::string& epoch) { return WeightsIndexEntry{id, checkpoint_file(id), 1, "0123456789abcdef", epoch}; };
  EXPECT_EQ(checkpoint_label(entry("ep4", "4")), "epoch 4");
  EXPECT_EQ(checkpoint_label(entry("final", "31")), "final (epoch 31)");
  EXPECT_EQ(checkpoint_label(entry("latest", "6")), "latest (epoch 6)");
  EXPECT_EQ(checkpoint_label(entry("v", "40")), find_checkpoint("v")->label);  // another model: its epoch says little
}

// Two runs' sprites_final.safetensors, both opened: the list tells them apart by their hash.
TEST_F(LibraryTest, TwoOpenedFilesOfOneNameAreToldApartByTheirHash) {
  const WeightsEntry& a = lib.add_file("sprites_final.safetensors", bytes);
  EXPECT_EQ(lib.shown_label(a), "sprites_final.safetensors");
  const auto other = testutil::read_bytes(SPRITES_SOURCE_DIR "/tests/support/tiny_weights.safetensors");
  const WeightsEntry& b = lib.add_file("sprites_final.safetensors", other);
  EXPECT_EQ(lib.shown_label(a), "sprites_final.safetensors (" + link_hash(hash) + ")");
  EXPECT_EQ(lib.shown_label(b), "sprites_final.safetensors (" + link_hash(fnv1a64_hex(other)) + ")");
  EXPECT_NE(lib.shown_label(a), lib.shown_label(b));
}

TEST_F(LibraryTest, ACheckpointIsFetchedOnceFromItsIndexEntry) {
  WeightsEntry* e = lib.request("final");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->state, WeightsEntry::State::fetching);
  EXPECT_EQ(lib.request("final"), e);
  ASSERT_EQ(fetches.size(), 1u);
  EXPECT_EQ(fetches[0].url, "weights/sprites_final.safetensors");
  EXPECT_EQ(fetches[0].hash, hash);  // the cache may answer
  lib.progress("final", 1000, 0);
  EXPECT_EQ(e->received, 1000u);
  EXPECT_EQ(e->total, bytes.size());  // from the index when the server does not say
  lib.arrived("final", bytes);
  ASSERT_TRUE(lib.ready("final"));
  EXPECT_EQ(lib.ready("final")->weights->labels.size(), 5u);
  EXPECT_EQ(lib.request("ep99"), nullptr);  // not in the index: nothing to fetch
  EXPECT_EQ(fetches.size(), 1u);
}

TEST_F(LibraryTest, AFileWhoseHashIsNotTheExpectedOneIsRefusedBeforeReading) {
  lib.request("url:http://127.0.0.1:9/w.safetensors", "deadbeef");
  lib.arrived("url:http://127.0.0.1:9/w.safetensors", bytes);
  const WeightsEntry* e = lib.find("url:http://127.0.0.1:9/w.safetensors");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->state, WeightsEntry::State::failed);
  EXPECT_EQ(e->error, "http://127.0.0.1:9/w.safetensors: the file's hash " + link_hash(hash) +
                          " is not the deadbeef expected: it changed since the link was made");
  lib.forget_failed(e->key);
  EXPECT_FALSE(lib.find("url:http://127.0.0.1:9/w.safetensors"));
  lib.request("url:http://127.0.0.1:9/w.safetensors", link_hash(hash));  // asked again: fetched again
  EXPECT_EQ(fetches.size(), 2u);
  lib.arrived("url:http://127.0.0.1:9/w.safetensors", bytes);
  EXPECT_TRUE(lib.ready("url:http://127.0.0.1:9/w.safetensors"));
}

TEST_F(LibraryTest, NetworkFailuresAndBadFilesEndAsOneLine) {
  lib.request("ep4");
  lib.failed("ep4", "weights/sprites_ep4.safetensors: HTTP 404 Not Found");
  EXPECT_EQ(lib.find("ep4")->error, "weights/sprites_ep4.safetensors: HTTP 404 Not Found");
  EXPECT_FALSE(lib.ready("ep4"));
  lib.request("url:https://example.org/x.safetensors", "");
  std::vector<uint8_t> junk(100, 7);
  lib.arrived("url:https://example.org/x.safetensors", junk);
  const WeightsEntry* e = lib.find("url:https://example.org/x.safetensors");
  EXPECT_EQ(e->state, WeightsEntry::State::failed);
  EXPECT_NE(e->error.find("https://example.org/x.safetensors: header length"), std::string::npos) << e->error;
  EXPECT_EQ(lib.arrived("nobody-asked", bytes), nullptr);  // a late answer to nothing changes nothing
}

TEST_F(LibraryTest, AnOpenedFileIsKeyedByItsHashAndCanBePublishedAtAUrl) {
  WeightsEntry& e = lib.add_file("mine.safetensors", bytes);
  EXPECT_EQ(e.key, "file:" + link_hash(hash));
  ASSERT_EQ(e.state, WeightsEntry::State::ready);
  EXPECT_TRUE(fetches.empty());
  WeightsEntry& u = lib.alias_url(e.key, "https://host.example/mine.safetensors");
  EXPECT_EQ(u.key, "url:https://host.example/mine.safetensors");
  EXPECT_EQ(lib.ready(u.key), lib.ready(e.key));  // the same loaded model, no fetch
  EXPECT_TRUE(fetches.empty());
  WeightsEntry& bad = lib.add_file("notes.txt", std::vector<uint8_t>{'h', 'i'});
  EXPECT_EQ(bad.state, WeightsEntry::State::failed);
  EXPECT_EQ(bad.error, "notes.txt: file too short for a safetensors header");
  const auto pth = testutil::read_bytes(SPRITES_SOURCE_DIR "/tests/fuzz/corpus/pth/tiny_state_dict.pth");
  // A .pth is read as the course's checkpoint; this one is a state_dict of something else.
  EXPECT_EQ(lib.add_file("model_31.pth", pth).error, "model_31.pth: not a ContextUnet checkpoint (no usable 'init_conv.conv1.0.weight')");
}

// A run still training: the index asked for again lists a checkpoint with another file. The old
// entry is forgotten (asking again fetches the new file) while a sampler that holds its slot keeps
// it; one still on its way is left to arrive; opened files are not the index's to forget.
TEST_F(LibraryTest, ARefreshedIndexForgetsCheckpointsWhoseFileChanged) {
  lib.request("final");
  ASSERT_EQ(lib.arrived("final", bytes)->state, WeightsEntry::State::ready);
  lib.request("ep4");  // on its way
  const WeightsEntry& file = lib.add_file("mine.safetensors", bytes);
  const std::string file_key = file.key;
  const std::shared_ptr<WeightsSlot> held = lib.ready_slot("final");
  ASSERT_TRUE(held);

  WeightsIndex same;
  same.weights = lib.index();
  EXPECT_FALSE(lib.set_index(same, "weights/")) << "the same files: nothing to redraw";
  EXPECT_EQ(lib.ready_slot("final"), held);

  WeightsIndex next = same;
  next.weights[0].hash = "fedcba9876543210";
  next.weights[1].hash = "fedcba9876543210";
  EXPECT_TRUE(lib.set_index(next, "weights/"));
  EXPECT_EQ(lib.find("final"), nullptr);
  ASSERT_TRUE(held->weights) << "the sampler's slot outlives the entry";
  ASSERT_TRUE(lib.find("ep4"));
  EXPECT_EQ(lib.find("ep4")->state, WeightsEntry::State::fetching);
  EXPECT_TRUE(lib.ready(file_key));
  fetches.clear();
  const WeightsEntry* again = lib.request("final");
  ASSERT_TRUE(again);
  ASSERT_EQ(fetches.size(), 1u);
  EXPECT_EQ(fetches[0].hash, "fedcba9876543210");  // the new file, not the cached old one

  next.weights.erase(next.weights.begin());  // the run finished elsewhere: "final" no longer listed
  EXPECT_TRUE(lib.set_index(next, "weights/"));
  EXPECT_EQ(lib.request("final"), again) << "still on its way";
}
