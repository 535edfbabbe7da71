// Window functions, as scipy.signal.get_window defines them.
#pragma once

#include <vector>

namespace dynemo::features {

// Periodic Hann (fftbins=True): w[n] = 0.5 - 0.5 cos(2 pi n / N), n = 0..N-1.
std::vector<float> hann_periodic(int n);

// Symmetric Hann (fftbins=False): w[n] = 0.5 - 0.5 cos(2 pi n / (N - 1)).
std::vector<double> hann_symmetric(int n);

}  // namespace dynemo::features
