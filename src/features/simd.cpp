#include "features/simd.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace dynemo::features {

LaneBuffer::LaneBuffer(std::size_t n) : size_(n) {
  if (n == 0) return;
  void* p = std::aligned_alloc(sizeof(LaneVec), n * sizeof(LaneVec));
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, n * sizeof(LaneVec));
  data_.reset(static_cast<LaneVec*>(p));
}

void LaneBuffer::Free::operator()(LaneVec* p) const { std::free(p); }

}  // namespace dynemo::features
