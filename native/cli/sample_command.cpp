#include "checkpoint_files.h"
#include "checksum.h"
#include "commands.h"
#include "common/atomic_file.h"
#include "common/cli_number.h"
#include "common/cli_text.h"
#include "common/progress.h"
#include "context_flag.h"
#include "course_checkpoint.h"
#include "engine.h"
#include "file_bytes.h"
#include "kept_sprites.h"
#include "png_text.h"
#include "png_writer.h"
#include "printable.h"
#include "repaint_mask.h"
#include "sample.h"
#include "share_link.h"
#include "samplers/sampler_table.h"
#include "sampling_help.h"
#include "sprite_atlas.h"
#include "sprite_background.h"
#include "sprite_colours.h"
#include "sprite_png.h"
#include "string_match.h"
#include "unet_weights.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

namespace sprites::cli {

namespace {

struct SampleArgs {
  std::string weights, out, raw, atlas, init, mask, link, palette, context;  // "": the first label
  SampleParams p;
  int threads = 0, cols = 0, scale = 4, colours = 0;
  bool transparent = false;
};

// The grid is always PNG: a name that says otherwise would hold a PNG under a JPEG's name.
void require_png_name(const std::string& out) {
  if (!has_extension(out, ".png")) throw std::runtime_error("--out " + out + ": the grid is written as PNG; give it a .png name");
}

// --steps or --eta given to a sampler that does not read them is not an error (a share link carries
// both for every sampler, and tools pass them on), but it must not go unnoticed either.
void note_unused_by_sampler(const CLI::App& cmd, const SampleParams& p) {
  const SamplerInfo& s = *find_sampler(p.sampler);  // --sampler's check knows every id
  if (cmd.count("--steps") > 0 && !s.uses_steps)
    std::fprintf(stderr, "note: %s takes every step of the schedule; --steps %d is not used (it is for %s)\n", p.sampler.c_str(),
                 p.steps, sampler_ids_where(&SamplerInfo::uses_steps).c_str());
  if (cmd.count("--eta") > 0 && !s.uses_eta)
    std::fprintf(stderr, "note: %s has no eta; --eta %g is not used (it is for %s)\n", p.sampler.c_str(), p.eta,
                 sampler_ids_where(&SamplerInfo::uses_eta).c_str());
}

// --link names a PNG the page or this command saved: the link in its text (page_link, below).
std::string link_of_png(const std::string& path) {
  std::vector<uint8_t> bytes;
  std::string link;
  try {
    bytes = read_file_bytes(path);
    link = png_share_link(bytes);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("--link: ") + e.what());
  }
  if (!link.empty()) return link;
  // The page's kept sheet: each sprite came from a grid of its own, so the sheet names one of them.
  for (const auto& [key, text] : png_text(bytes)) {
    if (key != kKeptTextKey) continue;
    size_t damaged = 0;
    const KeptSprites kept = KeptSprites::parse(text, damaged);
    if (kept.sprites().empty()) break;
    throw std::runtime_error("--link: " + path + " is the page's sheet of " + std::to_string(kept.sprites().size()) +
                             " kept sprites, each from a grid of its own: give one of their links, the first '" +
                             printable(kept.sprites()[0].link, 300) + "' (the page's Kept panel opens each)");
  }
  throw std::runtime_error("--link: " + path + " holds no share link (the page's and this command's sheets keep theirs in the PNG's Parameters text)");
}

// A page's share link as this command's flags: what it carries fills every flag not given here, so
// the command draws the page's pixels (given the page's weights file), or more of them (--count).
void apply_share_link(const CLI::App& cmd, SampleArgs& a, const std::string& weights_hash, int n_cfeat) {
  std::error_code not_a_file;  // a link longer than a path may be
  if (has_extension(a.link, ".png") || std::filesystem::is_regular_file(a.link, not_a_file)) a.link = link_of_png(a.link);
  const size_t hash_at = a.link.find('#');
  ShareState st;
  try {
    // A --context given here replaces the link's, which then need not fit these weights' labels.
    st = parse_share_link(hash_at == std::string::npos ? a.link : a.link.substr(hash_at + 1), cmd.count("--context") ? 0 : n_cfeat);
  } catch (const std::invalid_argument& e) {
    const bool context = std::string(e.what()).rfind("'c=", 0) == 0;
    throw std::runtime_error(std::string("--link: ") + e.what() + (context ? "; give --context for these weights" : ""));
  }
  const SampleParams& l = st.params;
  const auto take = [&](const char* flag, auto& field, const auto& value) {
    if (cmd.count(flag) == 0) field = value;
  };
  take("--sampler", a.p.sampler, l.sampler);
  take("--steps", a.p.steps, l.steps);
  take("--eta", a.p.eta, l.eta);
  take("--guidance", a.p.guidance, l.guidance);
  take("--seed", a.p.seed, l.seed);
  take("--count", a.p.count, l.count);
  take("--strength", a.p.strength, l.strength);
  take("--resample", a.p.resample, l.resample);
  take("--init", a.p.init, l.init);
  take("--mask", a.p.mask, l.mask);
  take("--context", a.context, format_context(l.context));
  take("--colours", a.colours, st.colours);
  take("--palette", a.palette, st.palette.empty() ? "" : format_palette(st.palette));
  // Other weights draw other pixels; that may be what the user wants (the fp16 file of the page's
  // 8-bit one, say), so it is said, not refused, with where the link's own weights are.
  if (st.weights_hash.empty() || weights_hash.rfind(st.weights_hash, 0) == 0) return;
  const std::string made_with = st.weights_id == kUrlWeights    ? "the weights at " + st.weights_url + " (" + st.weights_hash + ")"
                                : st.weights_id == kFileWeights ? "a weights file of its own (" + st.weights_hash + ")"
                                                                : "weights " + st.weights_id + "." + st.weights_hash;
  const bool elsewhere = st.weights_id == kUrlWeights || st.weights_id == kFileWeights;
  std::fprintf(stderr, "note: the link was made with %s; --weights %s is %s, so the pixels will differ from the page's%s\n",
               made_with.c_str(), a.weights.c_str(), link_hash(weights_hash).c_str(),
               elsewhere ? " (give that file with --weights for them)" : "");
}

// --palette: a file (Lospec's .hex: a colour a line) if one is there by that name, else the list
// itself; "grid" is taken from the sampled grid later.
Palette palette_flag(const std::string& arg) {
  if (arg.empty() || arg == "grid") return {};
  const bool file = std::filesystem::is_regular_file(arg);
  try {
    if (!file) return parse_palette(arg);
    const std::vector<uint8_t> bytes = read_file_bytes(arg);
    return parse_palette(std::string(bytes.begin(), bytes.end()));
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(std::string("--palette ") + (file ? arg + ": " : "") + e.what() + (file ? "" : " (nor a file of that name)"));
  }
}

// The page's link for this grid: its sampling, colours and palette, and the weights by the id their
// file name gives (a run's exports, the page's checkpoints) with their hash, which the page
// compares; any other file by its hash alone, which the page draws once that file is opened there.
// The page opens the sheet by it and --link reads it back. None where a link cannot say the grid:
// one starting past sprite 0, or a sheet of starting sprites (a link holds one).
std::string page_link(const SampleArgs& a, const Palette& palette, const std::string& weights_hash) {
  if (a.p.first_index != 0 || (!a.p.init.empty() && a.p.init.size() != kInitBytes)) return "";
  ShareState st;
  st.params = a.p;
  const std::string id = checkpoint_id_of_file(a.weights);
  st.weights_id = id.empty() ? kFileWeights : id;
  st.weights_hash = link_hash(weights_hash);
  st.colours = a.colours;
  st.palette = palette;
  return encode_share_link(st);
}

std::string params_text(const SampleArgs& a, const UnetWeights& w, const std::string& link) {
  std::ostringstream o;
  o << "sampler=" << a.p.sampler << " steps=" << a.p.steps << " eta=" << a.p.eta << " guidance=" << a.p.guidance
    << " seed=" << a.p.seed << " count=" << a.p.count << " first_index=" << a.p.first_index << " context=" << format_context(a.p.context)
    << " labels=" << w.metadata.at("labels") << " weights_epoch=" << w.epoch();
  if (!a.init.empty()) o << " init=" << a.init << " strength=" << a.p.strength;
  if (!a.mask.empty()) o << " mask=" << a.mask << " resample=" << a.p.resample;
  if (a.colours > 0) o << " colours=" << a.colours;
  if (!a.palette.empty()) o << " palette=" << a.palette;
  if (!link.empty()) o << " link=" << link;
  return o.str();
}

}  // namespace

std::function<int()> add_sample_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("sample", "sample a grid of sprites and write it as PNG");
  std::string samplers = "\nSamplers:";
  for (const SamplerInfo& info : sampler_table()) samplers += std::string("\n  ") + info.id + ": " + info.about;
  cmd->footer(samplers);
  auto a = std::make_shared<SampleArgs>();
  cmd->add_option("--weights", a->weights, "weights: a sprites-train export (.safetensors) or the course's own .pth")->required();
  cmd->add_option("--out", a->out, "PNG file to write")->required();
  cmd->add_option("--context", a->context, std::string(kContextHelp) +
                                               " Written by label (hero; hero,food=0.6 for hero 1 + food 0.6) or as one number per label, "
                                               "as links carry it (1,0,0.6,0,0). Default: the first label.")->check(not_empty());
  cmd->add_option("--sampler", a->p.sampler, "one of " + sampler_id_list() + " (Samplers, below)")->capture_default_str()->check(CLI::IsMember(sampler_ids()));
  cmd->add_option("--steps", a->p.steps, std::string(kStepsHelp) + " For " + sampler_ids_where(&SamplerInfo::uses_steps) + ".")->capture_default_str()->check(CLI::Range(1, 500));
  cmd->add_option("--eta", a->p.eta, std::string(kEtaHelp) + " For " + sampler_ids_where(&SamplerInfo::uses_eta) + ".")->capture_default_str()->check(number_in(0, 1));
  cmd->add_option("--guidance", a->p.guidance, kGuidanceHelp)->capture_default_str()->check(number_in(0, 20));
  cmd->add_option("--seed", a->p.seed, kSeedHelp)->capture_default_str()->check(seed_number());
  cmd->add_option("--count", a->p.count, "sprites in the grid")->capture_default_str()->check(CLI::Range(1, 1024));
  cmd->add_option("--first-index", a->p.first_index, "index of the first sprite (sprite k of a grid = index k)")->capture_default_str()->check(CLI::Range(0, 1 << 30));
  cmd->add_option("--raw", a->raw, "also write the sprites' raw RGB8 bytes (count x 16 x 16 x 3) here")->check(not_empty());
  add_threads_option(cmd, a->threads, 256);
  cmd->add_option("--cols", a->cols, "sprites per row (0: square-ish)")->check(CLI::Range(0, 1024));
  cmd->add_option("--scale", a->scale, "nearest-neighbour upscale")->capture_default_str()->check(CLI::Range(1, kMaxSpriteScale));
  cmd->add_option("--init", a->init, "variations of this sprite (a 16x16 PNG, or a square multiple such as a downloaded 128x128 one): each sprite starts from it, noised; "
                                     "or of every sprite of a sheet this command wrote: one variation each")->check(not_empty());
  cmd->add_option("--strength", a->p.strength, "with --init: how much of it is noised away, in (0, 1] (small: close variations; 1: little of it is left)")
      ->capture_default_str()->check(number_in(0, 1));
  cmd->add_option("--mask", a->mask, "with --init: redraw only the white pixels of this PNG (the sprite's size or a square multiple); the black ones keep the sprite's")->check(not_empty());
  cmd->add_option("--resample", a->p.resample, "with --mask: run each step this many times, noised back in between, so the redrawn pixels fit the kept ones better (slower)")
      ->capture_default_str()->check(CLI::Range(1, SampleParams::kMaxResample));
  cmd->add_option("--link", a->link, "a share link of the page (its address, or the part from #), or a PNG the page or this command saved (the link in its text): its context, sampler, seed, count, starting sprite and mask, for every flag not given here")->check(not_empty());
  cmd->add_option("--colours", a->colours, "at most this many colours per sprite (" + std::to_string(kMinColours) + "-" +
                                             std::to_string(kMaxColours) + "; 0: all), each one the sprite's own: clean pixel art")
      ->capture_default_str()->check(CLI::Range(0, kMaxColours));
  cmd->add_option("--palette", a->palette, "paint the sprites in these colours, each group (with --colours) or pixel in its nearest: a Lospec .hex file, "
                                           "a list such as 1a1c2c,5d275d,b13e53, or 'grid': the grid's own (--colours of them, else " +
                                           std::to_string(kGridPaletteColours) + "), one palette for every sprite")->check(not_empty());
  cmd->add_flag("--transparent", a->transparent, "RGBA PNG: each sprite's background (the flat colour around it) and the gutters transparent, a sprite sheet for a game");
  cmd->add_option("--atlas", a->atlas, "also write the sheet's atlas here (JSON, TexturePacker's hash format, as PixiJS and Phaser load it): "
                                       "each sprite's rectangle, named sprite_<index>")->check(not_empty());
  return [a, cmd] {
    require_png_name(a->out);
    require_folder_of(a->out);
    if (!a->raw.empty()) require_folder_of(a->raw);
    if (!a->atlas.empty()) {
      if (!has_extension(a->atlas, ".json")) throw std::runtime_error("--atlas " + a->atlas + ": the atlas is JSON; give it a .json name");
      require_folder_of(a->atlas);
    }
    std::vector<uint8_t> bytes = read_file_bytes(a->weights);
    const std::string weights_hash = fnv1a64_hex(bytes);  // what a link's w= names
    const UnetWeights w = load_unet_weights(parse_weights_file(std::move(bytes), a->weights), a->weights);
    if (w.arch.distilled_steps > 0) {  // a student samples with what it was distilled for, unless told otherwise
      if (cmd->count("--sampler") == 0) a->p.sampler = "student";
      if (cmd->count("--steps") == 0 && a->p.sampler == "student") a->p.steps = w.arch.distilled_steps;
    }
    if (!a->link.empty()) apply_share_link(*cmd, *a, weights_hash, w.arch.n_cfeat);
    note_unused_by_sampler(*cmd, a->p);
    a->p.context = a->context.empty() ? first_label_context(w.arch.n_cfeat) : context_flag(a->context, w.labels);
    if (!a->init.empty()) {
      if (a->p.strength == 0) throw std::runtime_error("--strength 0 leaves nothing to vary; give a value above 0");
      a->p.init = decode_sprite_sheet_png(read_file_bytes(a->init), w.arch.height, "--init " + a->init);
      if (const int sprites = static_cast<int>(a->p.init.size() / (w.arch.height * w.arch.height * 3)); sprites > 1) {  // a start per sprite
        if (cmd->count("--count") > 0 && a->p.count != sprites)
          throw std::runtime_error("--init " + a->init + " is a sheet of " + std::to_string(sprites) + " sprites, a variation of each: --count " +
                                   std::to_string(sprites) + " or none, not " + std::to_string(a->p.count));
        a->p.count = sprites;
      }
    } else if (a->p.init.empty() && (cmd->count("--strength") > 0 || !a->mask.empty())) {
      throw std::runtime_error(std::string(a->mask.empty() ? "--strength" : "--mask") + " is for variations of a sprite; give the sprite with --init");
    }
    if (!a->mask.empty()) {
      a->p.mask = mask_from_rgb8(decode_sprite_png(read_file_bytes(a->mask), w.arch.height, "--mask " + a->mask));
      try {
        check_repaint_mask(a->p.mask, a->p.mask.size());
      } catch (const std::invalid_argument&) {
        throw std::runtime_error("--mask " + a->mask + ": no white pixel, so nothing would be redrawn (white: redrawn, black: kept)");
      }
    }
    if (const std::string why = colours_refusal(a->colours); !why.empty()) throw std::runtime_error("--colours " + std::to_string(a->colours) + " " + why);
    Palette palette = palette_flag(a->palette);
    if (a->p.resample > 1 && a->p.mask.empty()) throw std::runtime_error("--resample fits redrawn pixels to kept ones; give the pixels to redraw with --mask");
    const int cols = a->cols > 0 ? a->cols : grid_columns(a->p.count);
    const int channels = a->transparent ? 4 : 3;
    if (const auto [gw, gh] = grid_size(a->p.count, w.arch.height, cols, a->scale); !png_can_encode(gw, gh, channels))
      throw std::runtime_error("--count " + std::to_string(a->p.count) + " at --scale " + std::to_string(a->scale) + " makes a " +
                               std::to_string(gw) + "x" + std::to_string(gh) + " grid, too large for a PNG; lower --scale");
    const EngineInfo eng = init_engine(a->threads);
    if (!eng.ok) throw std::runtime_error(eng.message);
    UnetXnn net(w, eng.pool);
    const Schedule sched = schedule_for(w.arch);
    if (!a->p.init.empty())
      if (const int t = make_sampler(sched, a->p)->timesteps().front(), want = init_timestep(sched, a->p.strength); t > want)
        std::fprintf(stderr, "note: %s has no step at or below t = %d (strength %g); the variations start from its last, t = %d, where little of the sprite is left\n",
                     a->p.sampler.c_str(), want, a->p.strength, t);
    Progress bar("sample", 5.0);
    std::vector<float> x;
    const auto t0 = std::chrono::steady_clock::now();
    sample(net, sched, a->p, x, [&](const StepView& v) {
      bar.update(static_cast<long>(v.step + 1), static_cast<long>(v.total));
      return true;
    });
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bar.finish();
    std::vector<uint8_t> pixels = to_rgb8(x);
    if (a->palette == "grid") {  // written out, so `--palette <list>` draws any sprite of this sheet alone
      palette = palette_of(pixels, a->colours > 0 ? a->colours : kGridPaletteColours);
      a->palette = format_palette(palette);
      std::printf("palette of the grid: %s\n", a->palette.c_str());
    }
    pixels = limit_colours(pixels, w.arch.height, a->colours, palette);
    const auto img = sprite_sheet(pixels, a->p.count, w.arch.height, cols, a->scale, a->transparent);
    if (!a->raw.empty()) write_file_atomic(a->raw, pixels);
    write_file_atomic(a->out, encode_png(img, {{"Software", "sprites (sprite-diffusion)"}, {"Parameters", params_text(*a, w, page_link(*a, palette, weights_hash))}}));
    if (!a->atlas.empty()) {
      namespace fs = std::filesystem;  // the sheet as the atlas's folder sees it
      const std::string image = fs::absolute(a->out).lexically_relative(fs::absolute(a->atlas).parent_path()).generic_string();
      const std::string text = sprite_atlas_json({image, a->p.count, w.arch.height, cols, a->scale, a->transparent, a->p.first_index});
      write_file_atomic(a->atlas, std::vector<uint8_t>(text.begin(), text.end()));
    }
    std::printf("wrote %s: %d sprite%s, %s, %.2f s (%d thread%s), pixels fnv1a64 %s\n", a->out.c_str(), a->p.count, a->p.count == 1 ? "" : "s",
                a->p.sampler.c_str(), secs, eng.threads, eng.threads == 1 ? "" : "s", fnv1a64_hex(pixels).c_str());
    return 0;
  };
}

}  // namespace sprites::cli
