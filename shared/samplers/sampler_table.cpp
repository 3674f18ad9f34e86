#include "samplers/sampler_table.h"

#include "sample.h"

namespace sprites {

const std::vector<SamplerInfo>& sampler_table() {
  static const std::vector<SamplerInfo> table = {
      {"ddpm", "DDPM (500 steps)", false, false, true,
       [](const Schedule& s, const SampleParams&) { return make_ddpm(s, true); }},
      {"ddpm-nonoise", "DDPM without noise (the course's incorrect one)", false, false, true,
       [](const Schedule& s, const SampleParams&) { return make_ddpm(s, false); }},
      {"ddim", "DDIM (fast)", true, true, true,
       [](const Schedule& s, const SampleParams& p) { return make_ddim(s, p.steps, p.eta); }},
      {"dpm++", "DPM-Solver++ (fastest)", true, false, false,
       [](const Schedule& s, const SampleParams& p) { return make_dpm_solver_2m(s, p.steps); }},
      {"student", "Distilled student (1-8 steps)", true, false, true,
       [](const Schedule& s, const SampleParams& p) { return make_student(s, p.steps); }},
  };
  return table;
}

const SamplerInfo* find_sampler(const std::string& id) {
  for (const SamplerInfo& info : sampler_table())
    if (id == info.id) return &info;
  return nullptr;
}

std::vector<std::string> sampler_ids() {
  std::vector<std::string> ids;
  for (const SamplerInfo& info : sampler_table()) ids.emplace_back(info.id);
  return ids;
}

std::string sampler_id_list() {
  std::string out;
  for (const SamplerInfo& info : sampler_table()) out += (out.empty() ? "" : ", ") + std::string(info.id);
  return out;
}

std::string sampler_ids_where(bool SamplerInfo::*property) {
  std::vector<std::string> ids;
  for (const SamplerInfo& s : sampler_table())
    if (s.*property) ids.emplace_back(s.id);
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) out += (i == 0 ? "" : i + 1 == ids.size() ? " and " : ", ") + ids[i];
  return out;
}

std::string resample_refusal(const std::string& id) {
  const SamplerInfo* s = find_sampler(id);
  if (!s || s->repeatable) return "";
  return id + " builds each step on the last one, so a step cannot run again; resample with " + sampler_ids_where(&SamplerInfo::repeatable) +
         ", or once";
}

}  // namespace sprites
