#include "json_nesting.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ithaca::tracker {
namespace {

TEST(JsonNesting, CountsArraysAndObjects) {
  EXPECT_TRUE(json_depth_within("{}", 1));
  EXPECT_FALSE(json_depth_within("{}", 0));
  EXPECT_TRUE(json_depth_within(R"({"a":[1,{"b":2}]})", 3));
  EXPECT_FALSE(json_depth_within(R"({"a":[1,{"b":2}]})", 2));
  EXPECT_TRUE(json_depth_within("[][][]", 1));
}

TEST(JsonNesting, IgnoresBracketsInStringsIncludingEscapedQuotes) {
  EXPECT_TRUE(json_depth_within(R"({"a":"[[[[{{{{"})", 1));
  EXPECT_TRUE(json_depth_within(R"({"a":"\"[[[[\\"})", 1));
  EXPECT_FALSE(json_depth_within(R"({"a":"\\"[[})", 2));
}

TEST(JsonNesting, RefusesAMillionOpenBracketsWithoutRecursion) {
  EXPECT_FALSE(json_depth_within(std::string(1'000'000, '['), 64));
}

}  // namespace
}  // namespace ithaca::tracker
