#include "schedule.h"

#include "parse_number.h"

#include <cmath>

namespace sprites {

Schedule::Schedule(int T_, float beta1_, float beta2_)
    : T(T_), beta1(beta1_), beta2(beta2_), b(T_ + 1), a(T_ + 1), ab(T_ + 1) {
  float logsum = 0;
  for (int t = 0; t <= T; ++t) {
    b[t] = (beta2 - beta1) * (static_cast<float>(t) / static_cast<float>(T)) + beta1;
    a[t] = 1 - b[t];
    logsum += std::log(a[t]);
    ab[t] = std::exp(logsum);
  }
  ab[0] = 1;
}

std::map<std::string, std::string> schedule_metadata(const Schedule& s) {
  return {{"timesteps", std::to_string(s.T)}, {"beta1", format_float(s.beta1)}, {"beta2", format_float(s.beta2)},
          {"schedule", "linear"}};
}

}  // namespace sprites
