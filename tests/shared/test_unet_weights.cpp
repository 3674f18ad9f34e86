// Bad weights files give one clear error each, never a crash.
#include "safetensors.h"
#include "test_util.h"
#include "unet_weights.h"
#include "weights_edit.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>

using namespace sprites;

static const std::string kWeights = SPRITES_SOURCE_DIR "/assets/weights/sprites_final.safetensors";

// Rewrites the default weights through `edit` and returns the load error ("" if it loaded).
static std::string error_after(const testutil::WeightsEdit& edit) {
  return testutil::load_error_after(load_safetensors(kWeights), edit, "w.safetensors");
}

static TensorOut& find(std::vector<TensorOut>& ts, const std::string& name) {
  for (auto& t : ts)
    if (t.name == name) return t;
  throw std::logic_error(name);
}

TEST(UnetWeights, LoadsTheDefaultWeights) {
  auto w = load_unet_weights(kWeights);
  EXPECT_EQ(w.arch.n_feat, 64);
  EXPECT_EQ(w.arch.height, 16);
  EXPECT_EQ(w.labels.size(), 5u);
  EXPECT_EQ(w.tensors.size(), expected_unet_tensors(w.arch).size());
  EXPECT_EQ(error_after([](auto&, auto&) {}), "");
}

TEST(UnetWeights, RejectsTruncatedFile) {
  auto bytes = testutil::read_bytes(kWeights);
  bytes.resize(bytes.size() / 2);
  const std::string path = testutil::temp_dir() + "/cut.safetensors";
  testutil::write_bytes(path, bytes);
  try {
    load_unet_weights(path);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cut.safetensors: tensor"), std::string::npos) << e.what();
  }
}

TEST(UnetWeights, RejectsHugeHeader) {
  auto bytes = testutil::read_bytes(kWeights);
  bytes[6] = 0x7f;
  EXPECT_THROW(parse_safetensors(bytes, "w"), std::runtime_error);
}

TEST(UnetWeights, RejectsWrongDtype) {
  auto e = error_after([](auto& ts, auto&) {
    auto& t = find(ts, "out.3.bias");
    t.dtype = "I16";
  });
  EXPECT_NE(e.find("dtype I16"), std::string::npos) << e;
}

TEST(UnetWeights, RejectsShapesOff) {
  auto e = error_after([](auto& ts, auto&) {
    auto& t = find(ts, "up0.0.weight");
    std::swap(t.shape[0], t.shape[2]);
  });
  EXPECT_NE(e.find("has shape"), std::string::npos) << e;
}

TEST(UnetWeights, RejectsMissingAndExtraTensors) {
  EXPECT_NE(error_after([](auto& ts, auto&) { ts.erase(ts.begin()); }).find("missing tensor"), std::string::npos);
  EXPECT_NE(error_after([](auto& ts, auto&) { ts.push_back({"extra", "F32", {1}, {0, 0, 0, 0}}); }).find("unexpected tensor"),
            std::string::npos);
}

TEST(UnetWeights, RejectsNonFiniteValues) {
  auto e = error_after([](auto& ts, auto&) {
    auto& t = find(ts, "out.3.bias");
    t.data[0] = 0x00;
    t.data[1] = 0x7e;  // fp16 NaN
  });
  EXPECT_NE(e.find("NaN"), std::string::npos) << e;
}

TEST(UnetWeights, RejectsWrongMetadata) {
  EXPECT_NE(error_after([](auto&, auto& m) { m["architecture"] = "UNet2D"; }).find("not ContextUnet"), std::string::npos);
  EXPECT_NE(error_after([](auto&, auto& m) { m.erase("n_feat"); }).find("lacks 'n_feat'"), std::string::npos);
  EXPECT_NE(error_after([](auto&, auto& m) { m["n_feat"] = "sixty"; }).find("not an integer"), std::string::npos);
  EXPECT_NE(error_after([](auto&, auto& m) { m["n_feat"] = "32"; }).find("has shape"), std::string::npos);
  EXPECT_NE(error_after([](auto&, auto& m) { m["labels"] = "a,b"; }).find("labels"), std::string::npos);
  EXPECT_NE(error_after([](auto&, auto& m) { m["bn_folded"] = "false"; }).find("not folded"), std::string::npos);
}

// Labels name the page's sliders and buttons: a file whose labels could not is refused by name.
TEST(UnetWeights, RejectsLabelsThePageCouldNotShow) {
  const auto with_labels = [](const std::string& labels) { return error_after([&](auto&, auto& m) { m["labels"] = labels; }); };
  EXPECT_EQ(with_labels("hero,non-human,food,spell,item"), "");
  EXPECT_EQ(with_labels("hero,hero,food,spell,item"), "w.safetensors: labels: 'hero' is given twice (the page's sliders are named by them)");
  EXPECT_EQ(with_labels("hero,,food,spell,item"), "w.safetensors: labels: label 2 is empty");
  EXPECT_EQ(with_labels("hero,food,spell,item,"), "w.safetensors: labels: label 5 is empty");
  EXPECT_EQ(with_labels("hero,food,spell,item,a,"), "w.safetensors: 6 labels for n_cfeat 5");
  EXPECT_EQ(with_labels("hero,fo\nod,spell,item,x"), "w.safetensors: labels: label 2 ('fo?od') holds a control character");
  EXPECT_EQ(with_labels("hero,a,b,c," + std::string(200, 'x')), "") << "written before the tools kept names to 40 characters: it opens";
}
