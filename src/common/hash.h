// FNV-1a, 64 bit: a small, stable, non-cryptographic hash for cache keys and feature hashes;
// and the seeds derived from a base seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>

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

// A deterministic seed for (base seed, tags...), e.g. seed_for(seed, {fold, member, epoch}):
// splitmix64 over the tags, so different tags give unrelated seeds.
inline std::uint64_t seed_for(std::uint64_t base, std::initializer_list<std::uint64_t> tags) {
  std::uint64_t h = base + 0x9E3779B97F4A7C15ULL;
  for (const std::uint64_t tag : tags) {
    h ^= tag + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    h ^= h >> 31;
  }
  return h;
}

}  // namespace dynemo
