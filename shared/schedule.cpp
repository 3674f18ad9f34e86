#include "schedule.h"

#include <cmath>

namespace sprites {

Schedule::Schedule(int T_, float beta1, float beta2) : T(T_), b(T_ + 1), a(T_ + 1), ab(T_ + 1) {
  float logsum = 0;
  for (int t = 0; t <= T; ++t) {
    b[t] = (beta2 - beta1) * (static_cast<float>(t) / static_cast<float>(T)) + beta1;
    a[t] = 1 - b[t];
    logsum += std::log(a[t]);
    ab[t] = std::exp(logsum);
  }
  ab[0] = 1;
}

}  // namespace sprites
