// sprites-train: trains the course's ContextUnet on 16x16 sprites and exports safetensors weights.
#include "checkpoint.h"
#include "common/cli_choice.h"
#include "common/cli_number.h"
#include "common/error_line.h"
#include "common/npy.h"
#include "common/shell_word.h"
#include "export_weights.h"
#include "malloc_tuning.h"
#include "run_record.h"
#include "trainer.h"
#include "unet_layout.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  sprites::keep_freed_memory_for_training();

  sprites::TrainConfig cfg;
  std::string names = sprites::label_names_text(cfg.label_names);  // the course's five
  CLI::App app{"Train the course's ContextUnet (DDPM) on 16x16 sprites; writes checkpoints and safetensors weights."};
  app.add_option("--images", cfg.images, "sprites .npy, uint8 (N,H,W,3)")->required()->check(CLI::ExistingFile);
  app.add_option("--labels", cfg.labels, "labels .npy, (N,n_classes) one-hot")->required()->check(CLI::ExistingFile);
  app.add_option("--out", cfg.out_dir, "output folder (checkpoint.pt, loss.csv, val.csv, *.safetensors)")->required();
  app.add_option("--label-names", names, "comma-separated class names stored in the weights (default: the dataset's five; class 1,... for another number of classes)")->capture_default_str();
  app.add_option("--epochs", cfg.epochs, "epochs")->capture_default_str()->check(CLI::Range(1, 100000));
  app.add_option("--epoch-images", cfg.epoch_images, "images per epoch (the course's epoch: 89400)")->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  app.add_option("--batch", cfg.batch, "batch size")->capture_default_str()->check(CLI::Range(1, 65536));
  app.add_option("--lr", cfg.lr, "Adam learning rate, decayed linearly per epoch")->capture_default_str()->check(sprites::positive_number());
  app.add_option("--context-drop", cfg.context_drop, "probability of zeroing the context")->capture_default_str()->check(sprites::number_in(0, 1));
  app.add_option("--n-feat", cfg.unet.n_feat, "model width")->capture_default_str()->check(CLI::Range(8, 1024));
  app.add_option("--seed", cfg.seed, "seed for weights, data order and noise")->capture_default_str()->check(sprites::seed_number());
  app.add_option("--device", cfg.device, "auto, cpu or cuda")->capture_default_str()->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  app.add_option("--step", cfg.step, "how steps run: auto (a CUDA graph on a GPU), eager, fused (the graph's body, uncaptured) or cuda-graph")
      ->capture_default_str()->check(CLI::IsMember({"auto", "eager", "fused", "cuda-graph"}));
  app.add_flag("--amp", cfg.amp, "bf16 autocast for the training forward pass (CPUs with avx512_bf16 or AMX, GPUs); validation and exports stay fp32");
  app.add_flag("--channels-last", cfg.channels_last, "keep weights and activations in NHWC memory order (what tensor-core convolutions use; checkpoints and exports are the same)");
  sprites::add_choice(app, "--upsampling", cfg.upsampling, sprites::upsampling_names(),
                      "how the up-sampling layers run: auto (patch on the CPU, transposed on CUDA), patch (1x1 convolution + pixel shuffle) or transposed (LibTorch's transposed convolution); the same function");
  sprites::add_threads_option(&app, cfg.threads, 1024);
  app.add_option("--checkpoint-every", cfg.checkpoint_every, "steps between checkpoints (0: 200 on the CPU, 2000 on a GPU)")->capture_default_str()->check(CLI::Range(0, 1 << 30));
  app.add_flag("--resume", cfg.resume, "continue from OUT/checkpoint.pt");
  app.add_option("--budget-minutes", cfg.budget_minutes, "fewer epochs if they would not fit in this time")->check(sprites::number_in(0, FLT_MAX));
  app.add_option("--max-steps", cfg.max_steps, "stop after this many steps in all (checkpoint kept)")->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  app.add_option("--ema", cfg.ema, "export a moving average of the weights with this decay (e.g. 0.999; 0: off)")->capture_default_str()->check(sprites::number_in(0, 0.99999f));
  sprites::add_choice(app, "--dtype", cfg.export_dtype, sprites::weights_dtype_names(),
                      "exported weights: f16, f32 or int8 (per-channel 8-bit, half the bytes of f16)");
  app.add_flag("!--no-flip", cfg.flip, "no horizontal-flip augmentation");
  sprites::add_choice(app, "--prediction", cfg.prediction, {{"eps", sprites::Prediction::eps}, {"v", sprites::Prediction::v}},
                      "what the network predicts: eps (the course's) or v (velocity)");
  app.add_flag("--zero-terminal-snr", cfg.zero_terminal_snr, "rescale the schedule so the last step is pure noise (Lin et al. 2023); with --prediction v");
  auto* distill = app.add_option("--distill", cfg.distill_from, "progressive distillation of this export (e.g. assets/weights-v/sprites_final.safetensors) into a few-step student")
      ->check(CLI::ExistingFile);
  app.add_option("--teacher-steps", cfg.teacher_steps, "with --distill: the teacher's DDIM steps the first student halves (a power of two)")
      ->capture_default_str()->needs(distill);
  app.add_option("--distill-to", cfg.distill_to, "with --distill: the last student's steps (a power of two)")->capture_default_str()->needs(distill);
  app.add_option("--phase-epochs", cfg.phase_epochs, "with --distill: epochs per halving")->capture_default_str()->needs(distill)->check(CLI::Range(1, 10000));
  app.add_option("--student-width", cfg.student_width, "with --distill: a student of this width (n_feat), trained from scratch in one halving")
      ->needs(distill)->check(CLI::Range(8, 1024));
  app.add_option("--student-from", cfg.student_from, "with --distill: start the student from this export of a student (e.g. to train it longer) instead of a copy of the teacher")
      ->needs(distill)->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  if (!cfg.distill_from.empty()) {
    for (const auto& fixed : sprites::kFixedByTeacher)
      if (app.count(fixed)) {
        std::fprintf(stderr, "error: %s does not apply to --distill (the teacher and --phase-epochs fix it)\n", fixed.c_str());
        return 1;
      }
  }

  std::signal(SIGINT, [](int) { sprites::request_stop(); });
  std::signal(SIGTERM, [](int) { sprites::request_stop(); });
  try {
    // A context input per class of the labels file (the dataset's five, or a folder's classes from
    // `sprites dataset`); a distillation's come from its teacher.
    if (cfg.distill_from.empty()) {
      const int64_t classes = sprites::label_classes(cfg.labels);
      if (classes < 1 || classes > sprites::kMaxClasses)
        throw std::runtime_error(cfg.labels + ": " + std::to_string(classes) + " classes; a model takes 1 to " +
                                 std::to_string(sprites::kMaxClasses));
      cfg.unet.n_cfeat = classes;
      if (app.count("--label-names") == 0 && classes != 5) names = sprites::numbered_labels(static_cast<int>(classes));
    }
    cfg.label_names = sprites::label_names_flag(names, cfg.unet.n_cfeat);
    // `--resume` alone continues a run: the settings it was trained with fill in what this command
    // leaves out (a flag given here and unlike the run's is still refused, by check_same_run).
    const std::string checkpoint = sprites::checkpoint_path(cfg.out_dir);
    if (cfg.resume && std::filesystem::exists(checkpoint)) {
      auto extra = sprites::resume_arguments(sprites::saved_run_record(checkpoint), sprites::run_record(cfg, ""),
                                             [&](const std::string& flag) { return app.count(flag) > 0; });
      if (!extra.empty()) {
        std::string shown;
        for (const auto& a : extra) shown += " " + a;
        std::fprintf(stderr, "--resume: with the run's own%s\n", shown.c_str());
        std::vector<std::string> args(argv + 1, argv + argc);
        args.insert(args.end(), extra.begin(), extra.end());
        std::reverse(args.begin(), args.end());  // CLI11 takes a vector last argument first
        app.clear();
        try {
          app.parse(args);
        } catch (const CLI::ParseError& e) {
          return app.exit(e);
        }
        cfg.label_names = sprites::label_names_flag(names, cfg.unet.n_cfeat);
      }
    }
    auto r = sprites::train(cfg);
    std::fprintf(stderr, "%s after %lld steps", r.interrupted ? "interrupted" : "finished", static_cast<long long>(r.steps));
    if (!std::isnan(r.last_loss)) std::fprintf(stderr, "; last loss %.4f", r.last_loss);
    std::fprintf(stderr, "\n");
    if (!r.interrupted)  // what a student does next: see the run, its checkpoints and its curve, in the page
      std::fprintf(stderr, "in the studio: scripts/demo --weights %s\n", sprites::shell_word(cfg.out_dir).c_str());
    return r.interrupted ? 130 : 0;
  } catch (const std::exception& e) {
    return sprites::report_error(e);
  }
}
