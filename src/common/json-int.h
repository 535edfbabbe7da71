// Integers read from JSON that a user hands dynemo (model sidecars, train configs, feature
// configs, run metrics). nlohmann's get<int>() converts a float or an out-of-range integer with a
// plain cast: undefined behaviour for 7.8e90, a wrapped value for 2^40. json_int accepts whole
// numbers (2048 or 2048.0) that fit T and otherwise throws nlohmann's out_of_range (id 406), so
// the callers' handlers for JSON errors name the file and the field as for any other bad value.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace dynemo {

template <typename T>
T json_int(const nlohmann::json& value, const std::string& field) {
  static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
  constexpr auto kMin = static_cast<long double>(std::numeric_limits<T>::min());
  constexpr auto kMax = static_cast<long double>(std::numeric_limits<T>::max());
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (static_cast<long double>(u) <= kMax) return static_cast<T>(u);
  } else if (value.is_number_integer()) {
    const auto i = value.get<std::int64_t>();
    if (static_cast<long double>(i) >= kMin && static_cast<long double>(i) <= kMax) {
      return static_cast<T>(i);
    }
  } else if (value.is_number_float()) {
    const long double d = value.get<double>();  // long double holds every int64 exactly
    if (d == std::floor(d) && d >= kMin && d <= kMax) return static_cast<T>(d);
  }
  throw nlohmann::json::out_of_range::create(
      406,
      "field '" + field + "' must be a whole number in [" +
          std::to_string(std::numeric_limits<T>::min()) + ", " +
          std::to_string(std::numeric_limits<T>::max()) + "], got " + value.dump(),
      &value);
}

// json_int of object[field] when it is there, else `fallback`.
template <typename T>
T json_int_or(const nlohmann::json& object, const std::string& field, T fallback) {
  const auto it = object.find(field);
  return it == object.end() ? fallback : json_int<T>(*it, field);
}

}  // namespace dynemo
