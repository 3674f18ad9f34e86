#include "run_record.h"

#include "common/sha256.h"
#include "export_weights.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

namespace sprites {

namespace {

// The shortest text that reads back as v: "0.0005", not "0.00050000000000000001".
std::string number(double v) {
  char s[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(s, sizeof s, "%.*g", digits, v);
    if (std::strtod(s, nullptr) == v) break;
  }
  return s;
}

bool same_number(const std::string& a, const std::string& b) {
  char *end_a = nullptr, *end_b = nullptr;
  const double x = std::strtod(a.c_str(), &end_a), y = std::strtod(b.c_str(), &end_b);
  return end_a != a.c_str() && *end_a == '\0' && end_b != b.c_str() && *end_b == '\0' && x == y;
}

std::string file_id(const std::string& sha256) { return "sha256:" + sha256.substr(0, 16); }

constexpr const char* kGiven = "given";
constexpr const char* kNotGiven = "not given";
std::string given(bool flag) { return flag ? kGiven : kNotGiven; }

// (flag, value) in the record's order.
std::vector<std::pair<std::string, std::string>> parse(const std::string& record) {
  std::vector<std::pair<std::string, std::string>> flags;
  std::istringstream in(record);
  for (std::string line; std::getline(in, line);) {
    const auto space = line.find(' ');
    if (space != std::string::npos) flags.emplace_back(line.substr(0, space), line.substr(space + 1));
  }
  return flags;
}

}  // namespace

std::string run_record(const TrainConfig& cfg, const std::string& images_sha256) {
  // What kind of run first, so that its line is the one a resume of the other kind gets.
  std::vector<std::pair<std::string, std::string>> flags = {
      {"--distill", cfg.distill_from.empty() ? "none" : file_id(sha256_file(cfg.distill_from))},
  };
  if (!cfg.distill_from.empty())
    flags.insert(flags.end(), {
        {"--teacher-steps", std::to_string(cfg.teacher_steps)},
        {"--distill-to", std::to_string(cfg.distill_to)},
        {"--phase-epochs", std::to_string(cfg.phase_epochs)},
        {"--student-width", std::to_string(cfg.student_width)},
        {"--student-from", cfg.student_from.empty() ? "none" : file_id(sha256_file(cfg.student_from))},
    });
  flags.insert(flags.end(), {
      {"--images", file_id(images_sha256)},
      {"--labels", file_id(sha256_file(cfg.labels))},
      {"--label-names", label_names_text(cfg.label_names)},
      {"--n-feat", std::to_string(cfg.unet.n_feat)},
      {"--epoch-images", std::to_string(cfg.epoch_images)},
      {"--batch", std::to_string(cfg.batch)},
      {"--lr", number(cfg.lr)},
      {"--context-drop", number(cfg.context_drop)},
      {"--seed", std::to_string(cfg.seed)},
      {"--no-flip", given(!cfg.flip)},
      {"--prediction", prediction_name(cfg.prediction)},
      {"--zero-terminal-snr", given(cfg.zero_terminal_snr)},
      {"--ema", number(cfg.ema)},
  });
  std::string record;
  for (const auto& [flag, value] : flags) record += flag + " " + value + "\n";
  return record;
}

void check_same_run(const std::string& saved, const std::string& now, const std::string& checkpoint_path) {
  const auto saved_flags = parse(saved);
  const std::map<std::string, std::string> was(saved_flags.begin(), saved_flags.end());
  for (const auto& [flag, value] : parse(now)) {
    const auto it = was.find(flag);
    if (it == was.end() || it->second == value || same_number(it->second, value)) continue;
    throw std::runtime_error("--resume: " + checkpoint_path + " is a run with " + flag + " " + it->second +
                             ", and this command gives " + flag + " " + value +
                             "; resume with the run's own settings, or train a new run into another --out");
  }
}

std::vector<std::string> resume_arguments(const std::string& saved, const std::string& now,
                                          const std::function<bool(const std::string&)>& on_command_line) {
  const auto now_flags = parse(now);
  const std::map<std::string, std::string> is(now_flags.begin(), now_flags.end());
  const bool distillation = is.count("--distill") && is.at("--distill") != "none";
  std::vector<std::string> args;
  for (const auto& [flag, value] : parse(saved)) {
    const auto it = is.find(flag);
    if (it == is.end() || it->second == value || same_number(it->second, value) || on_command_line(flag)) continue;
    if (value.rfind("sha256:", 0) == 0 || value == "none") continue;  // a file: only its hash is known
    if (distillation && std::find(kFixedByTeacher.begin(), kFixedByTeacher.end(), flag) != kFixedByTeacher.end()) continue;
    if (value == kGiven) {
      args.push_back(flag);
    } else if (value != kNotGiven) {
      args.push_back(flag);
      args.push_back(value);
    }
  }
  return args;
}

}  // namespace sprites
