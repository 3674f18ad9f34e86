#include "schedule.h"

#include "parse_number.h"

#include <cmath>

namespace sprites {

Schedule::Schedule(int T_, float beta1_, float beta2_, bool zero_terminal_snr_)
    : T(T_), beta1(beta1_), beta2(beta2_), zero_terminal_snr(zero_terminal_snr_), b(T_ + 1), a(T_ + 1), ab(T_ + 1) {
  float logsum = 0;
  for (int t = 0; t <= T; ++t) {
    b[t] = (beta2 - beta1) * (static_cast<float>(t) / static_cast<float>(T)) + beta1;
    a[t] = 1 - b[t];
    logsum += std::log(a[t]);
    ab[t] = std::exp(logsum);
  }
  ab[0] = 1;
  if (!zero_terminal_snr || T < 2) return;
  const double s1 = std::sqrt(static_cast<double>(ab[1])), sT = std::sqrt(static_cast<double>(ab[T]));
  for (int t = 1; t <= T; ++t) {
    const double s = (std::sqrt(static_cast<double>(ab[t])) - sT) * s1 / (s1 - sT);
    ab[t] = static_cast<float>(s * s);
  }
  ab[T] = 0;
  for (int t = 1; t <= T; ++t) {
    a[t] = ab[t] / ab[t - 1];
    b[t] = 1 - a[t];
  }
}

std::vector<int> evenly_spaced_timesteps(int T, int steps) {
  std::vector<int> ts;
  for (int i = 0; i < steps; ++i) ts.push_back(static_cast<int>(std::lround(T * (1.0 - static_cast<double>(i) / steps))));
  return ts;
}

std::map<std::string, std::string> schedule_metadata(const Schedule& s) {
  return {{"timesteps", std::to_string(s.T)}, {"beta1", format_float(s.beta1)}, {"beta2", format_float(s.beta2)},
          {"schedule", s.zero_terminal_snr ? "linear-zero-snr" : "linear"}};
}

}  // namespace sprites
