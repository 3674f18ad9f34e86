// Every sampler the core offers, one row each. make_sampler, share links, the CLI's validation and
// help, the studio's combo and the quality report all read this table: a new sampler is one file in
// samplers/ plus one row here.
#pragma once
#include "samplers/sampler.h"

#include <memory>
#include <string>
#include <vector>

namespace sprites {

struct SampleParams;

struct SamplerInfo {
  const char* id;     // in links, the CLI and the report; never rename one (old links carry it)
  const char* label;  // for people: the studio's combo
  const char* about;  // what it does and costs, in the course's terms: the studio's tooltip, the CLI's help
  bool uses_steps;    // reads SampleParams::steps (else it visits every timestep of the schedule)
  bool uses_eta;      // reads SampleParams::eta
  bool repeatable;    // a step may run again from a new x (resampling, sample.h); not where a step carries
                      // what it learned into the next (DPM-Solver++'s multistep keeps the last x0)
  std::unique_ptr<Sampler> (*make)(const Schedule& s, const SampleParams& p);  // throws std::invalid_argument
};

const std::vector<SamplerInfo>& sampler_table();
const SamplerInfo* find_sampler(const std::string& id);  // null if unknown
std::vector<std::string> sampler_ids();
std::string sampler_id_list();  // "ddpm, ddpm-nonoise, ..." for messages and help
// "ddim and dpm++": the samplers with a property, for help and messages.
std::string sampler_ids_where(bool SamplerInfo::*property);
// Why sampler `id` cannot resample (empty if it can): one line for the core, the CLI and the page.
std::string resample_refusal(const std::string& id);

}  // namespace sprites
