// Test helpers for reading the repository's data files (vectors, fixtures).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace ithaca::testing {

inline std::string source_path(const std::string& relative) {
  return std::string(ITHACA_SOURCE_DIR) + "/" + relative;
}

inline std::string read_file(const std::string& relative) {
  std::ifstream in(source_path(relative), std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace ithaca::testing
