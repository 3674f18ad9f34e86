#include "share_link.h"
#include "test_util.h"

#include <gtest/gtest.h>

using namespace sprites;

static std::string error_of(const std::string& link) {
  return testutil::error_of<std::invalid_argument>([&] { parse_share_link(link, 5); });
}

TEST(ShareLink, RoundTripsEveryField) {
  ShareState s;
  s.weights_id = "ep4";
  s.weights_hash = "1a2b3c4d";
  s.params.context = {1, 0, 0.6f, 0, 0};
  s.params.sampler = "ddpm-nonoise";
  s.params.steps = 40;
  s.params.eta = 0.25f;
  s.params.guidance = 2.5f;
  s.params.seed = 4000000000u;
  s.params.count = 64;
  s.view = "denoise";
  s.live = true;
  const std::string link = encode_share_link(s);
  EXPECT_EQ(link, "v=1&w=ep4.1a2b3c4d&c=1,0,0.6,0,0&s=ddpm-nonoise&n=40&e=0.25&g=2.5&seed=4000000000&k=64&view=denoise&live=1");
  const ShareState r = parse_share_link("#" + link, 5);
  EXPECT_EQ(r.weights_id, "ep4");
  EXPECT_EQ(r.weights_hash, "1a2b3c4d");
  EXPECT_EQ(r.params.context, s.params.context);
  EXPECT_EQ(r.params.sampler, "ddpm-nonoise");
  EXPECT_EQ(r.params.steps, 40);
  EXPECT_EQ(r.params.eta, 0.25f);
  EXPECT_EQ(r.params.guidance, 2.5f);
  EXPECT_EQ(r.params.seed, 4000000000u);
  EXPECT_EQ(r.params.count, 64);
  EXPECT_EQ(r.view, "denoise");
  EXPECT_TRUE(r.live);
  EXPECT_EQ(encode_share_link(r), link);
}

TEST(ShareLink, MissingFieldsTakeDefaults) {
  const ShareState r = parse_share_link("v=1&seed=9", 5);
  EXPECT_EQ(r.params.seed, 9u);
  EXPECT_EQ(r.params.sampler, "ddim");
  EXPECT_EQ(r.params.context, (std::vector<float>{1, 0, 0, 0, 0}));
  EXPECT_FALSE(r.live) << "links from before the live preview open without it";
  EXPECT_EQ(encode_share_link(r).find("live"), std::string::npos);
}

TEST(ShareLink, RejectsMalformedLinksWithAClearMessage) {
  EXPECT_NE(error_of("").find("no format version"), std::string::npos);
  EXPECT_NE(error_of("v=2&seed=1").find("'v=2' is a format version this page does not read"), std::string::npos);
  EXPECT_NE(error_of("v=1&seed=-4").find("not a whole number"), std::string::npos);
  EXPECT_NE(error_of("v=1&seed=99999999999").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("v=1&k=0").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("v=1&k=65").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("v=1&c=1,0,0").find("3 values"), std::string::npos);
  EXPECT_NE(error_of("v=1&c=1,0,x,0,0").find("not a number"), std::string::npos);
  EXPECT_NE(error_of("v=1&c=1,0,2,0,0").find("not a number in [0, 1]"), std::string::npos);
  EXPECT_NE(error_of("v=1&s=euler").find("unknown sampler"), std::string::npos);
  EXPECT_NE(error_of("v=1&w=ep99").find("unknown weights"), std::string::npos);
  EXPECT_NE(error_of("v=1&w=final.XYZ").find("not hex"), std::string::npos);
  EXPECT_NE(error_of("v=1&junk").find("not key=value"), std::string::npos);
  EXPECT_NE(error_of("v=1&v=1").find("twice"), std::string::npos);
  EXPECT_NE(error_of("v=1&zoom=3").find("unknown field"), std::string::npos);
  EXPECT_NE(error_of("v=1&g=nan").find("not a number"), std::string::npos);
  EXPECT_NE(error_of("v=1&view=3d").find("unknown view"), std::string::npos);
  EXPECT_NE(error_of("v=1&live=2").find("out of range"), std::string::npos);
}

TEST(ShareLink, FieldsArePercentDecodedAndDamageIsQuotedAsWritten) {
  // What a chat program may do to a link: encode characters the page wrote plainly.
  const ShareState r = parse_share_link("v=1&c=1%2C0%2C0.6%2C0%2C0&s=dpm%2B%2B&seed=%34%32", 5);
  EXPECT_EQ(r.params.context, (std::vector<float>{1, 0, 0.6f, 0, 0}));
  EXPECT_EQ(r.params.sampler, "dpm++");
  EXPECT_EQ(r.params.seed, 42u);
  // A link cut short inside a sequence, bad hex digits, a NUL: one line that quotes the field.
  EXPECT_EQ(error_of("v=1&s=ddim&c=1,0,%E0%A4%A"), "'c=1,0,%E0%A4%A' has broken percent-encoding");
  EXPECT_EQ(error_of("v=1&seed=%zz"), "'seed=%zz' has broken percent-encoding");
  EXPECT_EQ(error_of("v=1&seed=%"), "'seed=%' has broken percent-encoding");
  EXPECT_EQ(error_of("v=1&seed=4%002"), "'seed=4%002' is not a whole number");
  EXPECT_EQ(error_of("v=1&w=../x"), "'w=../x' names unknown weights");
  EXPECT_EQ(error_of("v=1&w=%2e%2e/x"), "'w=%2e%2e/x' names unknown weights");
  EXPECT_EQ(error_of("v=1&k=1&k=2"), "'k' appears twice");
  EXPECT_EQ(error_of("v=1&k%3D=2"), "'k%3D=2' is an unknown field");
  // Control characters are shown as '?' and a huge field is cut, so the message stays one short line.
  const std::string nul_msg = error_of(std::string("v=1&view=a\nb\0c", 14));
  EXPECT_EQ(nul_msg.find('\n'), std::string::npos) << nul_msg;
  EXPECT_EQ(nul_msg.find('\0'), std::string::npos);
  EXPECT_NE(nul_msg.find("'view=a?b?c'"), std::string::npos) << nul_msg;
  const std::string huge = error_of("v=1&c=" + std::string(100000, '7'));
  EXPECT_LT(huge.size(), 200u);
  EXPECT_NE(huge.find("'c=7777"), std::string::npos) << huge;
  for (const char* link : {"v=1&seed=%ff%fe", "%", "=", "&&&", "v=1&=x", "v=1&c=,,,,", "v=1&n=%00"})
    EXPECT_FALSE(error_of(link).empty()) << link;
}

TEST(ShareLink, WeightsAtAUrlTravelWithTheirHash) {
  ShareState s;
  s.weights_id = kUrlWeights;
  s.weights_hash = "0a1b2c3d";
  s.weights_url = "https://host.example:8443/runs/mine/sprites_final.safetensors?v=2&x=#frag";
  s.params.context = {0, 1, 0};  // a model with three labels
  const std::string link = encode_share_link(s);
  EXPECT_NE(link.find("&u=https%3A%2F%2Fhost.example%3A8443%2Fruns%2Fmine%2Fsprites_final.safetensors%3Fv%3D2%26x%3D%23frag"),
            std::string::npos) << link;
  const ShareState r = parse_share_link(link, 0);  // labels not known before the file arrives
  EXPECT_EQ(r.weights_url, s.weights_url);
  EXPECT_EQ(weights_key(r), "url:" + s.weights_url);
  EXPECT_EQ(r.params.context, s.params.context);
  EXPECT_TRUE(parse_share_link("v=1&w=url.0a1b2c3d&u=http%3A%2F%2Fa%2Fw", 0).params.context.empty());  // "not given"
  auto error = [](const std::string& l) { return testutil::error_of<std::invalid_argument>([&] { parse_share_link(l, 0); }); };
  EXPECT_EQ(error("v=1&w=url.0a1b2c3d"), "'w=url...' needs the weights' URL (u=)");
  EXPECT_EQ(error("v=1&w=url.0a1b&u=http%3A%2F%2Fa%2Fw"), "'w=url.0a1b' needs at least 8 hex digits of the weights' hash");
  EXPECT_EQ(error("v=1&w=url&u=http%3A%2F%2Fa%2Fw"), "'w=url' needs at least 8 hex digits of the weights' hash");
  EXPECT_EQ(error("v=1&w=final&u=http%3A%2F%2Fa%2Fw"), "'u=http%3A%2F%2Fa%2Fw' is a weights URL, but w does not name url weights");
  EXPECT_EQ(error("v=1&w=url.0a1b2c3d&u=http%3A%2F%2Fa%2"), "'u=http%3A%2F%2Fa%2' has broken percent-encoding");
  EXPECT_EQ(weights_key(parse_share_link("v=1&w=file.0a1b2c3d", 0)), "file:0a1b2c3d");
  // A link may give more digits; a page names an opened file by the first 8.
  EXPECT_EQ(weights_key(parse_share_link("v=1&w=file.0a1b2c3d4e5f6a7b", 0)), "file:0a1b2c3d");
  EXPECT_EQ(weights_key(parse_share_link("v=1&w=ep4", 5)), "ep4");
  for (const std::string& key : std::vector<std::string>{"ep4", "file:0a1b2c3d", "url:" + s.weights_url}) EXPECT_EQ(weights_key(weights_of_key(key, "0a1b2c3d")), key);
  EXPECT_EQ(weights_of_key("url:" + s.weights_url, "0a1b2c3d").weights_url, s.weights_url);
  EXPECT_EQ(weights_of_key("file:0a1b2c3d", "").weights_hash, "0a1b2c3d");
}

// Variations carry their starting sprite: its 768 RGB bytes in hex, and the strength.
TEST(ShareLink, VariationsCarryTheirStartingSprite) {
  ShareState s;
  s.params.context = {0, 1, 0, 0, 0};
  for (size_t i = 0; i < kInitBytes; ++i) s.params.init.push_back(static_cast<uint8_t>(i * 7));
  s.params.strength = 0.45f;
  const std::string link = encode_share_link(s);
  const size_t at = link.find("&init=");
  ASSERT_NE(at, std::string::npos) << link;
  EXPECT_EQ(link.substr(at, 12), "&init=00070e");
  EXPECT_NE(link.find("&strength=0.45"), std::string::npos);
  const ShareState r = parse_share_link(link, 5);
  EXPECT_EQ(r.params.init, s.params.init);
  EXPECT_EQ(r.params.strength, 0.45f);
  EXPECT_EQ(encode_share_link(r), link);
  EXPECT_TRUE(parse_share_link("v=1&seed=3", 5).params.init.empty()) << "links without init= sample from noise";
  const std::string hex = link.substr(at + 6, 2 * kInitBytes);
  EXPECT_EQ(parse_share_link("v=1&init=" + hex, 5).params.strength, SampleParams::kDefaultStrength);
}

TEST(ShareLink, ADamagedStartingSpriteIsAMessage) {
  const std::string hex(2 * kInitBytes, 'a');
  EXPECT_NE(error_of("v=1&init=" + hex.substr(0, 700)).find("'init=' holds 700 hex digits, not the 1536 of a 16x16 RGB sprite"),
            std::string::npos);
  std::string bad = hex;
  bad[100] = 'g';
  EXPECT_NE(error_of("v=1&init=" + bad).find("is not lower-case hex"), std::string::npos);
  EXPECT_LT(error_of("v=1&init=" + bad).size(), 120u) << "the message quotes the start of the field, not all of it";
  bad[100] = 'a';
  bad[101] = '\0';
  EXPECT_NE(error_of("v=1&init=" + bad).find("is not lower-case hex"), std::string::npos);
  EXPECT_NE(error_of("v=1&init=" + hex + "&strength=0").find("leaves nothing to vary"), std::string::npos);
  EXPECT_NE(error_of("v=1&init=" + hex + "&strength=1.5").find("'strength=1.5' is not a number in [0, 1]"), std::string::npos);
  EXPECT_NE(error_of("v=1&strength=0.5").find("the link has no starting sprite (init=)"), std::string::npos);
}

// A repainting link carries its mask as a bit a pixel: 64 hex digits for 16x16.
TEST(ShareLink, RepaintingCarriesItsMask) {
  ShareState s;
  s.params.context = {0, 1, 0, 0, 0};
  s.params.init.assign(kInitBytes, 200);
  s.params.mask.assign(256, 0);
  s.params.mask[0] = s.params.mask[9] = s.params.mask[255] = 1;
  const std::string link = encode_share_link(s);
  const size_t at = link.find("&mask=");
  ASSERT_NE(at, std::string::npos) << link;
  EXPECT_EQ(link.substr(at + 6), "8040" + std::string(58, '0') + "01");
  const ShareState r = parse_share_link(link, 5);
  EXPECT_EQ(r.params.mask, s.params.mask);
  EXPECT_EQ(encode_share_link(r), link);
  EXPECT_TRUE(parse_share_link(link.substr(0, at), 5).params.mask.empty()) << "no mask=: the whole sprite varies";
  EXPECT_EQ(link.find("resample"), std::string::npos) << "one run a step: not written";
  s.params.resample = 3;
  const std::string resampled = encode_share_link(s);
  EXPECT_TRUE(resampled.size() > link.size() && resampled.compare(resampled.size() - 11, 11, "&resample=3") == 0) << resampled;
  EXPECT_EQ(parse_share_link(resampled, 5).params.resample, 3);
}

TEST(ShareLink, ADamagedMaskIsAMessage) {
  const std::string init = "v=1&init=" + std::string(2 * kInitBytes, 'a');
  const std::string mask(2 * kMaskBytes, 'f');
  EXPECT_NE(error_of(init + "&mask=" + mask.substr(0, 40)).find("'mask=' holds 40 hex digits, not the 64 of a 16x16 mask"), std::string::npos);
  EXPECT_NE(error_of(init + "&mask=" + mask.substr(1) + "G").find("is not lower-case hex"), std::string::npos);
  EXPECT_NE(error_of(init + "&mask=" + std::string(2 * kMaskBytes, '0')).find("marks no pixel to redraw"), std::string::npos);
  EXPECT_NE(error_of("v=1&mask=" + mask).find("the link has none (init=)"), std::string::npos);
  EXPECT_NE(error_of(init + "&resample=2").find("the link has no mask (mask=)"), std::string::npos);
  EXPECT_NE(error_of(init + "&mask=" + mask + "&resample=9").find("'resample=9' is out of range 1..8"), std::string::npos);
}

TEST(ShareLink, TheNoisingViewCarriesItsTimestepAndCurves) {
  ShareState s;
  s.params.context = {0, 0, 1, 0, 0};
  EXPECT_EQ(encode_share_link(s).find("&t="), std::string::npos) << "other views: not written";
  s.view = "noising";
  s.noising_t = 321;
  const std::string link = encode_share_link(s);
  EXPECT_NE(link.find("&view=noising&t=321"), std::string::npos) << link;
  const ShareState r = parse_share_link(link, 5);
  EXPECT_EQ(r.view, "noising");
  EXPECT_EQ(r.noising_t, 321);
  EXPECT_EQ(encode_share_link(r), link);
  EXPECT_EQ(parse_share_link("v=1&view=noising", 5).noising_t, 250) << "default";
  s.noising_over_training = true;
  const std::string over = encode_share_link(s);
  EXPECT_NE(over.find("&view=noising&t=321&training=1"), std::string::npos) << over;
  EXPECT_TRUE(parse_share_link(over, 5).noising_over_training);
  EXPECT_FALSE(r.noising_over_training);
  EXPECT_NE(error_of("v=1&training=1").find("'training=1' shows the Noising view's curves over training, but the link shows another view"),
            std::string::npos);
  EXPECT_NE(error_of("v=1&view=noising&training=2").find("'training=2' is out of range 0..1"), std::string::npos);
  EXPECT_NE(error_of("v=1&t=300").find("'t=300' is the Noising view's timestep, but the link shows another view"), std::string::npos);
  EXPECT_NE(error_of("v=1&view=noising&t=0").find("'t=0' is out of range 1..1000"), std::string::npos);
  EXPECT_NE(error_of("v=1&view=noising&t=9x").find("'t=9x'"), std::string::npos);
}

TEST(ShareLink, CarriesTheClickedSprite) {
  ShareState s;
  s.params.context = {1, 0, 0, 0, 0};
  s.params.count = 4;
  EXPECT_EQ(encode_share_link(s).find("sel="), std::string::npos) << "sprite 0: not written";
  s.selected = 3;
  s.view = "denoise";
  const std::string link = encode_share_link(s);
  EXPECT_NE(link.find("&k=4&sel=3&view=denoise"), std::string::npos) << link;
  EXPECT_EQ(parse_share_link(link, 5).selected, 3);
  EXPECT_EQ(encode_share_link(parse_share_link(link, 5)), link);
  EXPECT_NE(error_of("v=1&k=4&sel=4").find("'sel=4' names a sprite the grid of 4 does not have (k=)"), std::string::npos);
  EXPECT_NE(error_of("v=1&sel=64").find("'sel=64' is out of range 0..63"), std::string::npos);
}

TEST(ShareLink, CarriesTheSpritesColourLimit) {
  ShareState s;
  s.params.context = {1, 0, 0, 0, 0};
  EXPECT_EQ(encode_share_link(s).find("colours="), std::string::npos) << "all colours: not written";
  s.colours = 8;
  const std::string link = encode_share_link(s);
  EXPECT_NE(link.find("&colours=8"), std::string::npos) << link;
  EXPECT_EQ(parse_share_link(link, 5).colours, 8);
  EXPECT_EQ(encode_share_link(parse_share_link(link, 5)), link);
  EXPECT_EQ(parse_share_link("v=1&colours=0", 5).colours, 0);
  EXPECT_EQ(error_of("v=1&colours=1"), "'colours=1' leaves one colour: a sprite needs 2 or more (0: all)");
  EXPECT_EQ(error_of("v=1&colours=33"), "'colours=33' is out of range 0..32");
  EXPECT_EQ(error_of("v=1&colours=-8"), "'colours=-8' is not a whole number");
  s.palette = parse_palette("1a1c2c 5d275d b13e53");
  const std::string painted = encode_share_link(s);
  EXPECT_NE(painted.find("&colours=8&palette=1a1c2c,5d275d,b13e53"), std::string::npos) << painted;
  EXPECT_EQ(parse_share_link(painted, 5).palette, s.palette);
  EXPECT_EQ(encode_share_link(parse_share_link(painted, 5)), painted);
  EXPECT_EQ(parse_share_link("v=1&palette=%231a1c2c,ffffff", 5).palette.size(), 2u) << "'#' percent-encoded";
  EXPECT_EQ(error_of("v=1&palette=1a1c2c,fff"), "'palette=1a1c2c,fff' is not a palette: 'fff' is not a colour as 6 hex digits (rrggbb)");
  EXPECT_EQ(error_of("v=1&palette="), "'palette=' is not a palette: no colours (6 hex digits each, rrggbb)");
}
