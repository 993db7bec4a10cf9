#include "util/text_table.h"

#include <algorithm>

namespace diary::util {

TextTable::TextTable(std::vector<TableColumn> columns) : columns_(std::move(columns)) {}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::size_t limit = columns_[i].max_width == 0 ? std::string::npos : columns_[i].max_width;
    cells[i] = fit_width(cells[i], limit);
  }
  rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
  const bool headed = std::any_of(columns_.begin(), columns_.end(), [](const auto& c) { return !c.header.empty(); });
  std::vector<std::vector<std::string>> all;
  if (headed) {
    std::vector<std::string> header;
    for (const auto& column : columns_) header.push_back(terminal_line(column.header));
    all.push_back(std::move(header));
  }
  all.insert(all.end(), rows_.begin(), rows_.end());
  std::vector<std::size_t> widths(columns_.size(), 0);
  for (const auto& row : all)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  std::string out;
  for (const auto& row : all) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line += "  ";
      line += pad_to_width(row[i], widths[i], columns_[i].align);
    }
    while (line.ends_with(' ')) line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace diary::util
