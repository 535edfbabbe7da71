// AttentionRows (dynemo/predict.h): an attention map kept row by row over spans of columns.
#include <string>

#include "dynemo/error.h"
#include "dynemo/predict.h"

namespace dynemo {

void AttentionRows::append(std::size_t first_column, const float* w, std::size_t count) {
  if (begin.empty()) begin.push_back(0);
  first.push_back(first_column);
  weights.insert(weights.end(), w, w + count);
  begin.push_back(weights.size());
}

AttentionRows AttentionRows::from_map(const std::vector<float>& map, std::size_t n) {
  if (map.size() != n * n) {
    throw Error("attention: " + std::to_string(map.size()) + " weights for " + std::to_string(n) +
                " windows; expected n * n = " + std::to_string(n * n));
  }
  AttentionRows rows;
  rows.n_columns = n;
  rows.first.assign(n, 0);
  rows.begin.resize(n + 1);
  for (std::size_t i = 0; i <= n; ++i) rows.begin[i] = i * n;
  rows.weights = map;
  return rows;
}

}  // namespace dynemo
