#include "features/windows.h"

#include <cmath>

namespace dynemo::features {

std::vector<float> hann_periodic(int n) {
  std::vector<float> w(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) w[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * M_PI * i / n));
  return w;
}

std::vector<double> hann_symmetric(int n) {
  std::vector<double> w(static_cast<std::size_t>(n));
  if (n == 1) {
    w[0] = 1.0;
    return w;
  }
  for (int i = 0; i < n; ++i) w[i] = 0.5 - 0.5 * std::cos(2.0 * M_PI * i / (n - 1));
  return w;
}

}  // namespace dynemo::features
