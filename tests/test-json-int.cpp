// json_int (src/common/json-int.h): whole numbers that fit the type pass, everything else is
// refused with the field, the range and the value, never cast.
#include "common/json-int.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace {

using Json = nlohmann::json;

std::string refusal(const Json& value) {
  try {
    (void)dynemo::json_int<int>(value, "n");
  } catch (const Json::out_of_range& e) {
    return e.what();
  }
  return "";
}

TEST(JsonInt, TakesWholeNumbersThatFit) {
  EXPECT_EQ(dynemo::json_int<int>(Json(2048), "n"), 2048);
  EXPECT_EQ(dynemo::json_int<int>(Json(-7), "n"), -7);
  EXPECT_EQ(dynemo::json_int<int>(Json(2048.0), "n"), 2048);
  EXPECT_EQ(dynemo::json_int<int>(Json(2147483647), "n"), 2147483647);
  EXPECT_EQ(dynemo::json_int<unsigned>(Json(4294967295u), "n"), 4294967295u);
  EXPECT_EQ(dynemo::json_int<std::int64_t>(Json(-9223372036854775807LL - 1), "n"),
            -9223372036854775807LL - 1);
  EXPECT_EQ(dynemo::json_int<std::uint64_t>(Json(18446744073709551615ull), "n"),
            18446744073709551615ull);
  EXPECT_EQ(dynemo::json_int_or<int>(Json::object(), "n", 5), 5);
  EXPECT_EQ(dynemo::json_int_or<int>(Json{{"n", 6}}, "n", 5), 6);
}

TEST(JsonInt, RefusesFractionsOverflowsAndOtherTypes) {
  EXPECT_NE(refusal(Json(7.8e90))
                .find("field 'n' must be a whole number in [-2147483648, "
                      "2147483647], got 7.8e+90"),
            std::string::npos);
  EXPECT_NE(refusal(Json(2048.5)).find("got 2048.5"), std::string::npos);
  EXPECT_NE(refusal(Json(2147483648LL)).find("got 2147483648"), std::string::npos);
  EXPECT_NE(refusal(Json(-2147483649LL)).find("got -2147483649"), std::string::npos);
  EXPECT_NE(refusal(Json("12")).find("got \"12\""), std::string::npos);
  EXPECT_NE(refusal(Json(true)).find("got true"), std::string::npos);
  EXPECT_NE(refusal(Json(nullptr)).find("got null"), std::string::npos);
  EXPECT_THROW((void)dynemo::json_int<unsigned>(Json(-1), "n"), Json::out_of_range);
  // 2^63 as a double is one past the largest int64: refused, not wrapped.
  EXPECT_THROW((void)dynemo::json_int<std::int64_t>(Json(9223372036854775808.0), "n"),
               Json::out_of_range);
  EXPECT_THROW((void)dynemo::json_int_or<int>(Json{{"n", 1e12}}, "n", 5), Json::out_of_range);
}

}  // namespace
