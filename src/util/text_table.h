// Plain-text tables for terminals: columns padded by display width (not bytes), cells cleaned
// and cut through terminal_text, two spaces between columns, no trailing spaces. The one table
// used by list, batch (plan and result), doctor and job outputs. A value type; not shared.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "util/terminal_text.h"

namespace diary::util {

struct TableColumn {
  std::string header;  // empty headers everywhere: no header row
  Align align = Align::left;
  std::size_t max_width = 0;  // 0: unlimited; longer cells end in "…"
};

class TextTable {
 public:
  explicit TextTable(std::vector<TableColumn> columns);

  // Cells beyond the columns are ignored; missing cells are empty.
  void add_row(std::vector<std::string> cells);

  // Every row ending in "\n" (the header first when any column has one).
  std::string render() const;

 private:
  std::vector<TableColumn> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace diary::util
