#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sprites {
// Writes through a temporary file in the same folder, then renames it over `path`, so a crash or
// Ctrl-C leaves either the old file or the new one, never half of one.
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes);
void write_file_atomic(const std::string& path, const std::function<void(const std::string& tmp)>& writer);
// Throws "<path>: no folder <folder> to write it into" unless the folder `path` names is there:
// checked before long work, so a typo in --out does not cost the work.
void require_folder_of(const std::string& path);
// Throws unless `out` is another file than `in`: a converter writing over its own input would
// leave no original to convert again.
void require_not_input(const std::string& out, const std::string& in);
// Creates the output folder `path` (and its parents) or throws one line that names it and says why.
void make_output_folder(const std::string& path);
}
