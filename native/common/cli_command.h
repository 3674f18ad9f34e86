// Tools made of commands (`sprites sample`, `sprites-eval report`): the line for a missing or
// mistyped command.
#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace sprites {

// CLI11 answers both `sprites` and `sprites smaple` with "A subcommand is required", as if nothing
// had been typed; this names the word it did not know and the commands it does.
inline void require_one_command(CLI::App& app) {
  app.require_subcommand(1);
  app.failure_message([](const CLI::App* a, const CLI::Error& e) -> std::string {
    if (dynamic_cast<const CLI::RequiredError*>(&e) == nullptr || !a->get_subcommands().empty()) return CLI::FailureMessage::simple(a, e);
    std::string names;
    for (const CLI::App* sub : a->get_subcommands([](const CLI::App*) { return true; })) names += (names.empty() ? "" : ", ") + sub->get_name();
    const std::vector<std::string> rest = a->remaining();
    if (rest.empty() || rest.front().empty() || rest.front()[0] == '-') return "give a command: " + names + " (--help says what each does)\n";
    return "'" + rest.front() + "' is not a command; the commands: " + names + "\n";
  });
}

}  // namespace sprites
