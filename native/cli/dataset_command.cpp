// `sprites dataset FOLDER --out NAME`: your own sprites (FOLDER/<class>/*.png) as the .npy pair the
// trainer reads, NAME.npy and NAME_labels.npy in the course's layout, and the command that trains on them.
#include "commands.h"
#include "common/atomic_file.h"
#include "common/npy.h"
#include "common/shell_word.h"
#include "common/sprite_folder.h"

#include <cstdio>
#include <cstring>
#include <memory>

namespace sprites::cli {

namespace {

struct DatasetArgs {
  std::string folder, out;
};

std::vector<uint8_t> double_bytes(const std::vector<double>& v) {
  std::vector<uint8_t> out(v.size() * sizeof(double));
  if (!out.empty()) std::memcpy(out.data(), v.data(), out.size());
  return out;
}

}  // namespace

std::function<int()> add_dataset_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("dataset", "turn a folder of your own sprites (FOLDER/<class>/*.png, 16x16 or a square multiple) into the .npy pair sprites-train reads");
  auto a = std::make_shared<DatasetArgs>();
  cmd->add_option("folder", a->folder, "a folder with one subfolder of PNG sprites per class")->required();
  cmd->add_option("--out", a->out, "NAME: writes NAME.npy (uint8 sprites) and NAME_labels.npy (one-hot labels)")->required();
  return [a] {
    const std::string images = a->out + ".npy", labels = a->out + "_labels.npy";
    require_folder_of(images);
    const SpriteFolder f = read_sprite_folder(a->folder);
    const int64_t classes = static_cast<int64_t>(f.classes.size());
    write_file_atomic(images, npy_bytes("|u1", {f.n, f.size, f.size, 3}, f.images));
    write_file_atomic(labels, npy_bytes("<f8", {f.n, classes}, double_bytes(f.labels)));
    std::string counts, names;
    for (size_t c = 0; c < f.classes.size(); ++c) {
      counts += (c ? ", " : "") + f.classes[c] + " " + std::to_string(f.per_class[c]);
      names += (c ? "," : "") + f.classes[c];
    }
    std::printf("wrote %s and %s: %lld sprites in %lld classes (%s)\n", images.c_str(), labels.c_str(), static_cast<long long>(f.n),
                static_cast<long long>(classes), counts.c_str());
    if (f.skipped > 0)
      std::printf("note: %lld %s in the class folders %s not .png and left out\n", static_cast<long long>(f.skipped),
                  f.skipped == 1 ? "file" : "files", f.skipped == 1 ? "is" : "are");
    std::printf("train on them: IMAGES=%s LABELS=%s scripts/train --label-names %s --out runs/mine\n", shell_word(images).c_str(),
                shell_word(labels).c_str(), shell_word(names, true).c_str());
    return 0;
  };
}

}  // namespace sprites::cli
