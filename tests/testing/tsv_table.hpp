// Reads the tab-separated test tables in tests/data/: '#' lines and blank lines are skipped,
// "-" stands for an empty cell. Test-only code, so plain iostreams are fine here.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ithaca::testing {

struct TsvRow {
  int line = 0;
  std::vector<std::string> cells;
};

inline std::string data_path(const std::string& name) {
  return std::string(ITHACA_SOURCE_DIR) + "/tests/data/" + name;
}

inline std::vector<TsvRow> read_tsv(const std::string& name) {
  std::vector<TsvRow> rows;
  std::ifstream in(data_path(name));
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    TsvRow row{n, {}};
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) row.cells.push_back(cell == "-" ? std::string() : cell);
    if (!line.empty() && line.back() == '\t') row.cells.emplace_back();
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace ithaca::testing
