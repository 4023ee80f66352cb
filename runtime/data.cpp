// Datasets, loaders, CSV and .npy input.
#include "runtime/data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "spec/error.h"
#include "spec/file_io.h"
#include "spec/npy.h"

namespace tl::rt {
namespace {

HostTensor gather_rows(const HostTensor& t, const std::vector<int64_t>& index) {
  Dims dims = t.shape().dims();
  int64_t row = t.shape().rank() ? t.numel() / std::max<int64_t>(1, dims[0]) : 1;
  dims[0] = static_cast<int64_t>(index.size());
  HostTensor out(t.dtype(), Shape(dims));
  std::size_t bytes = static_cast<std::size_t>(row) * dtype_size(t.dtype());
  for (std::size_t i = 0; i < index.size(); ++i) {
    TL_CHECK_USER(index[i] >= 0 && index[i] < t.shape().dim(0), "row " + std::to_string(index[i]) + " of a dataset of " +
                                                                    std::to_string(t.shape().dim(0)) + " rows");
    std::memcpy(out.bytes() + i * bytes,
                t.bytes() + static_cast<std::size_t>(index[i]) * bytes, bytes);
  }
  return out;
}

// Stores v, refusing values that the dtype can only hold as infinity; what() names the value, and is
// called only then (a table's cells are many).
template <class What> void set_finite(HostTensor& t, int64_t i, double v, const What& what) {
  t.set_from_double(i, v);
  if (std::isfinite(t.value_as_double(i))) return;
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", v);
  throw UserError(what() + ": " + text + " overflows " + std::string(dtype_name(t.dtype())));
}

// A cell as it may be printed: control bytes (a NUL would end the message) as \xNN.
std::string printable_cell(const std::string& field) {
  std::string out;
  for (unsigned char ch : field) {
    if (ch >= 0x20 && ch != 0x7f) { out += static_cast<char>(ch); continue; }
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", ch);
    out += hex;
  }
  return out;
}

double parse_field(const std::string& field, const std::string& where) {
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(field.c_str(), &end);
  TL_CHECK_USER(!field.empty() && end == field.c_str() + field.size(), where + ": '" + printable_cell(field) + "' is not a number");
  TL_CHECK_USER(std::isfinite(v), where + ": '" + printable_cell(field) + "' is not finite (NaN and infinities are not data)");
  return v;
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string f; std::getline(ss, f, ',');) {
    std::size_t b = f.find_first_not_of(" \t\r"), e = f.find_last_not_of(" \t\r");
    out.push_back(b == std::string::npos ? "" : f.substr(b, e - b + 1));
  }
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

HostTensor converted(const HostTensor& t, DType dtype, const std::string& what) {
  HostTensor out(dtype, t.shape());
  for (int64_t i = 0; i < t.numel(); ++i) {
    double v = t.value_as_double(i);
    TL_CHECK_USER(std::isfinite(v), what + ": element " + std::to_string(i) + " is not finite (NaN or infinity)");
    set_finite(out, i, v, [&] { return what + ": element " + std::to_string(i); });
  }
  return out;
}

}  // namespace

Dataset Dataset::rows(const std::vector<int64_t>& index) const { return {gather_rows(x, index), gather_rows(y, index)}; }

Dataset Dataset::range(int64_t begin, int64_t end) const {
  TL_CHECK_USER(0 <= begin && begin <= end && end <= size(), "rows [" + std::to_string(begin) + ", " + std::to_string(end) +
                                                                 ") of a dataset of " + std::to_string(size()) + " rows");
  std::vector<int64_t> index;
  for (int64_t i = begin; i < end; ++i) index.push_back(i);
  return rows(index);
}

DataLoader::DataLoader(Dataset data, int64_t batch_size, bool shuffle, uint64_t seed, bool drop_last)
    : data_(std::move(data)), batch_(batch_size), shuffle_(shuffle), drop_last_(drop_last), state_(seed % (1ull << 31)) {
  TL_CHECK_USER(batch_size > 0, "batch size must be positive, got " + std::to_string(batch_size));
  TL_CHECK_USER(!drop_last || data_.size() >= batch_size, "drop_last with " + std::to_string(data_.size()) +
                                                                " rows and batch size " + std::to_string(batch_size) + " leaves no batch");
}

std::vector<Batch> DataLoader::epoch() {
  int64_t n = data_.size();
  std::vector<int64_t> order(static_cast<std::size_t>(n));
  for (int64_t i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  if (shuffle_) {
    std::vector<uint64_t> key(static_cast<std::size_t>(n));
    for (auto& k : key) k = state_ = (1103515245ull * state_ + 12345ull) % (1ull << 31);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return key[static_cast<std::size_t>(a)] < key[static_cast<std::size_t>(b)];
    });
  }
  std::vector<Batch> out;
  for (int64_t b = 0; b < n; b += batch_) {
    int64_t e = std::min(n, b + batch_);
    if (e - b < batch_ && drop_last_) break;
    Dataset part = data_.rows(std::vector<int64_t>(order.begin() + b, order.begin() + e));
    out.push_back({std::move(part.x), std::move(part.y)});
  }
  return out;
}

CsvTable read_csv(const std::string& path, bool header) {
  std::string text = read_file(path);
  std::stringstream in(text);
  CsvTable t;
  int64_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::vector<std::string> fields = split_fields(line);
    if (header && line_no == 1) { t.columns = fields; continue; }
    if (t.columns.empty()) {
      for (std::size_t c = 0; c < fields.size(); ++c) t.columns.push_back("c" + std::to_string(c));
    }
    TL_CHECK_USER(fields.size() == t.columns.size(), path + ":" + std::to_string(line_no) + ": " + std::to_string(fields.size()) +
                                                         " fields, expected " + std::to_string(t.columns.size()));
    std::vector<double> row;
    for (std::size_t c = 0; c < fields.size(); ++c)
      row.push_back(parse_field(fields[c], path + ":" + std::to_string(line_no) + ": column " + std::to_string(c + 1)));
    t.rows.push_back(std::move(row));
  }
  TL_CHECK_USER(!t.rows.empty(), path + ": no data rows");
  return t;
}

Dataset tabular(const CsvTable& t, int64_t inputs, int64_t classes, DType dtype, const std::string& what) {
  int64_t cols = static_cast<int64_t>(t.columns.size()), n = static_cast<int64_t>(t.rows.size());
  TL_CHECK_USER(inputs > 0 && inputs < cols, what + ": expected more than " + std::to_string(inputs) + " columns, got " + std::to_string(cols));
  TL_CHECK_USER(classes == 0 || cols - inputs == 1, what + ": a classification table needs exactly one label column");
  Dataset d{HostTensor(dtype, Shape{n, inputs}), HostTensor(dtype, classes ? Shape{n} : Shape{n, cols - inputs})};
  for (int64_t r = 0; r < n; ++r) {
    const auto& row = t.rows[static_cast<std::size_t>(r)];
    auto where = [&](int64_t c) { return what + ": data row " + std::to_string(r + 1) + ", column '" + t.columns[static_cast<std::size_t>(c)] + "'"; };
    for (int64_t c = 0; c < inputs; ++c) set_finite(d.x, r * inputs + c, row[static_cast<std::size_t>(c)], [&] { return where(c); });
    for (int64_t c = inputs; c < cols; ++c) {
      double v = row[static_cast<std::size_t>(c)];
      TL_CHECK_USER(classes == 0 || (v == std::trunc(v) && v >= 0 && v < static_cast<double>(classes)),
                    where(c) + ": label " + std::to_string(v) + " is not an integer in [0, " + std::to_string(classes) + ")");
      set_finite(d.y, r * (cols - inputs) + (c - inputs), v, [&] { return where(c); });
    }
  }
  return d;
}

void require_columns(const CsvTable& t, int64_t columns, const std::string& what) {
  int64_t got = static_cast<int64_t>(t.columns.size());
  TL_CHECK_USER(got == columns, what + ": expected " + std::to_string(columns) + " columns, got " + std::to_string(got));
}

Dataset load_npy(const std::string& x_path, const std::string& y_path, DType dtype) {
  Dataset d{converted(read_npy(x_path), dtype, x_path), converted(read_npy(y_path), dtype, y_path)};
  TL_CHECK_USER(d.x.shape().rank() >= 1 && d.y.shape().rank() >= 1, x_path + ", " + y_path + ": arrays need a row axis");
  TL_CHECK_USER(d.x.shape().dim(0) == d.y.shape().dim(0), x_path + " has " + std::to_string(d.x.shape().dim(0)) + " rows but " +
                                                               y_path + " has " + std::to_string(d.y.shape().dim(0)));
  return d;
}

}  // namespace tl::rt
