// `sprites noising --weights W [--weights W2 ...] --sprite PNG`: the forward process of the page's
// Noising view, natively: the network's noise error on the sprite noised to every tenth timestep,
// as CSV (one column per weights file, so a run's checkpoints compare), and with --out the sprite
// noised to t = 0, T/10, ..., T above the first weights' guesses of it.
#include "commands.h"
#include "common/atomic_file.h"
#include "common/cli_number.h"
#include "common/cli_text.h"
#include "context_flag.h"
#include "course_checkpoint.h"
#include "engine.h"
#include "file_bytes.h"
#include "forward_process.h"
#include "png_writer.h"
#include "sprite_background.h"
#include "sprite_png.h"
#include "string_match.h"
#include "unet_weights.h"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace sprites::cli {

namespace {

struct NoisingArgs {
  std::vector<std::string> weights;
  std::string sprite, out, context;
  SampleParams p;
  int every = 10, threads = 0;
};

}  // namespace

std::function<int()> add_noising_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("noising", "the forward process (the page's Noising view): a sprite noised to each timestep and the "
                                            "network's noise error on it, as CSV; compare a run's checkpoints");
  auto a = std::make_shared<NoisingArgs>();
  cmd->add_option("--weights", a->weights, "weights (.safetensors or the course's .pth); repeat for one column each")->required();
  cmd->add_option("--sprite", a->sprite, "the sprite to noise: a 16x16 PNG or a square multiple (the page's \"Download sprite\")")->required();
  cmd->add_option("--context", a->context, "class mix the network is told, by label (hero; hero,food=0.6) or one value per label (default: all 0, unconditional)")->check(not_empty());
  cmd->add_option("--seed", a->p.seed, "noise seed")->capture_default_str()->check(seed_number());
  cmd->add_option("--first-index", a->p.first_index, "whose noise: sprite k of a grid (the page's selected sprite)")->capture_default_str()->check(CLI::Range(0, 1 << 30));
  cmd->add_option("--every", a->every, "timesteps between rows of the CSV")->capture_default_str()->check(CLI::Range(1, 500));
  cmd->add_option("--out", a->out, "PNG: the sprite noised to t = 0, T/10, ..., T above the first weights' guesses of it")->check(not_empty());
  add_threads_option(cmd, a->threads, 256);
  return [a] {
    if (!a->out.empty() && !has_extension(a->out, ".png")) throw std::runtime_error("--out " + a->out + ": the strip is written as PNG; give it a .png name");
    const EngineInfo eng = init_engine(a->threads);
    if (!eng.ok) throw std::runtime_error(eng.message);
    std::vector<UnetWeights> weights;
    for (const std::string& path : a->weights) weights.push_back(load_unet_weights(load_weights_file(path), path));
    const UnetArch& arch = weights.front().arch;
    for (size_t i = 1; i < weights.size(); ++i)
      if (weights[i].arch.n_cfeat != arch.n_cfeat || weights[i].arch.height != arch.height)
        throw std::runtime_error("--weights " + a->weights[i] + ": " + std::to_string(weights[i].arch.n_cfeat) + " labels, " +
                                 a->weights[0] + " has " + std::to_string(arch.n_cfeat) + "; the columns compare models of one kind");
    a->p.context = a->context.empty() ? std::vector<float>(static_cast<size_t>(arch.n_cfeat), 0.0f) : context_flag(a->context, weights.front().labels);
    const std::vector<uint8_t> sprite = decode_sprite_png(read_file_bytes(a->sprite), arch.height, "--sprite " + a->sprite);

    std::vector<std::vector<ForwardLook>> looks;  // [weights][row]
    const Schedule first = schedule_for(arch);
    const std::vector<int> ts = curve_timesteps(first.T, a->every);
    std::vector<uint8_t> strip;  // the first file's
    for (const UnetWeights& w : weights) {
      UnetXnn net(w, eng.pool);
      looks.push_back(look_at_noised(net, schedule_for(w.arch), a->p, sprite, ts));
      if (!a->out.empty() && &w == &weights.front()) strip = noising_strip(net, first, a->p, sprite);
    }
    std::printf("t");
    for (const std::string& path : a->weights) std::printf(",%s", std::filesystem::path(path).filename().string().c_str());
    std::printf("\n");
    for (size_t r = 0; r < ts.size(); ++r) {
      std::printf("%d", ts[r]);
      for (const auto& l : looks) std::printf(",%.6g", l[r].loss);
      std::printf("\n");
    }
    for (size_t i = 0; i < weights.size(); ++i) {
      double mean = 0;
      for (const ForwardLook& l : looks[i]) mean += l.loss / static_cast<double>(ts.size());
      std::fprintf(stderr, "%s: noise error %.4g at t = %d to %.4g at t = %d, mean %.4f\n", a->weights[i].c_str(), looks[i].front().loss, ts.front(),
                   looks[i].back().loss, ts.back(), mean);
    }
    if (!a->out.empty()) {
      write_file_atomic(a->out, encode_png(sprite_sheet(strip, 2 * kNoisedStripColumns, arch.height, kNoisedStripColumns, 4, false),
                                           {{"Software", "sprites (sprite-diffusion)"}}));
      std::fprintf(stderr, "wrote %s: x_t at t = 0, %d, ..., %d above %s's guesses of x_0\n", a->out.c_str(), strip_timesteps(first.T)[1], first.T,
                   a->weights[0].c_str());
    }
    return 0;
  };
}

}  // namespace sprites::cli
