// FNV-1a, 64 bit: a small, stable, non-cryptographic hash for cache keys and feature hashes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dynemo {

inline constexpr std::uint64_t kFnv1aOffset = 14695981039346656037ull;
inline constexpr std::uint64_t kFnv1aPrime = 1099511628211ull;

// Continues the hash h over n bytes; start with kFnv1aOffset.
inline std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t n) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) {
    h ^= bytes[i];
    h *= kFnv1aPrime;
  }
  return h;
}

}  // namespace dynemo
