#include "test_util.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

namespace testutil {
namespace fs = std::filesystem;

std::string temp_dir() {
  static std::vector<std::string> made;
  static struct Cleanup { ~Cleanup() { for (auto& d : made) fs::remove_all(d); } } cleanup;
  std::string tmpl = (fs::temp_directory_path() / "sprites-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) std::abort();
  made.push_back(tmpl);
  return tmpl;
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void write_text(const std::string& path, const std::string& text) { write_bytes(path, std::vector<uint8_t>(text.begin(), text.end())); }

void write_sprite_set(const std::string& dir, const std::string& name, int n, int first_class) {
  std::vector<uint8_t> px(static_cast<size_t>(n) * 16 * 16 * 3), labels(static_cast<size_t>(n) * 5 * 8, 0);
  for (size_t i = 0; i < px.size(); ++i) px[i] = static_cast<uint8_t>(i * 37);
  for (int i = 0; i < n; ++i) labels[(static_cast<size_t>(i) * 5 + (first_class + i) % 5) * 8] = 1;
  write_bytes(dir + "/" + name + ".npy", npy_bytes("|u1", {n, 16, 16, 3}, px));
  write_bytes(dir + "/" + name + "_labels.npy", npy_bytes("<i8", {n, 5}, labels));
}

int run_command(const std::string& cmd, std::string& output) {
  output.clear();
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, n);
  const int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

}  // namespace testutil
