// Command-line options whose value is one of a few names, each standing for an enum value.
#pragma once
#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

namespace sprites {

// CLI11's CheckedTransformer would also take the enum's numbers ("--dtype 2" meant int8) and name
// them in its error ("Check int4 value in {f16->0,f32->1,int8->2} OR {0,1,2} FAILED"); this takes
// the names only, says "--dtype: int4 not in {f16,f32,int8}", and shows `target`'s name as default.
template <class Enum>
CLI::Option* add_choice(CLI::App& app, const std::string& flag, Enum& target, const std::map<std::string, Enum>& names,
                        const std::string& help) {
  std::vector<std::string> keys;
  std::string shown;
  for (const auto& [name, value] : names) {
    keys.push_back(name);
    if (value == target) shown = name;
  }
  return app.add_option_function<std::string>(flag, [&target, names](const std::string& v) { target = names.at(v); }, help)
      ->check(CLI::IsMember(keys))
      ->default_str(shown);
}

}  // namespace sprites
