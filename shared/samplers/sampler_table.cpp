#include "samplers/sampler_table.h"

#include "sample.h"

namespace sprites {

const std::vector<SamplerInfo>& sampler_table() {
  static const std::vector<SamplerInfo> table = {
      {"ddpm", "DDPM (500 steps)",
       "The course's sampler (lab L1): from pure noise back through all 500 timesteps, each step taking away the noise "
       "the network predicts and adding a little fresh noise. The best sprites and the slowest: 500 network evaluations "
       "per sprite.",
       false, false, true,
       [](const Schedule& s, const SampleParams&) { return make_ddpm(s, true); }},
      {"ddpm-nonoise", "DDPM without noise (the course's incorrect one)",
       "DDPM without the fresh noise of each step, the course's \"incorrect\" sampler (lab L1): with nothing to keep "
       "them apart, every sprite of a class slides to the same grey, blurred average. 500 network evaluations.",
       false, false, true,
       [](const Schedule& s, const SampleParams&) { return make_ddpm(s, false); }},
      {"ddim", "DDIM (fast)",
       "DDIM (lab L4): jumps between a few of the 500 timesteps (steps), each jump aimed by the clean sprite the "
       "network predicts; the same trained network, no retraining. 25 steps are 20x fewer network evaluations than "
       "DDPM, for sprites a little less like the data.",
       true, true, true,
       [](const Schedule& s, const SampleParams& p) { return make_ddim(s, p.steps, p.eta); }},
      {"dpm++", "DPM-Solver++ (fastest)",
       "DPM-Solver++(2M), beyond the course: like DDIM, but each step also uses the last step's prediction (a "
       "second-order solver), so 10-20 steps do better than DDIM's 25.",
       true, false, false,
       [](const Schedule& s, const SampleParams& p) { return make_dpm_solver_2m(s, p.steps); }},
      {"student", "Distilled student (1-8 steps)",
       "Beyond the course: a network trained to do in one step what its teacher does in two, halved again and again "
       "(progressive distillation), so it draws in 1-8 steps. Needs a student's weights.",
       true, false, true,
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
