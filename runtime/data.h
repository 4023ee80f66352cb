// Datasets and loaders. A Dataset holds its inputs x [N, ...] and targets y [N, ...] (regression)
// or [N] (integer class labels, stored as exact integers in the dtype) in memory. A DataLoader
// yields batches, shuffled per epoch with TorchLean's LCG (s' = (1103515245 s + 12345) mod 2^31:
// each row takes the next value as its key, rows are sorted by key — deterministic, replayable, not
// PyTorch's order), optionally dropping the last short batch.
//
// Loaders for CSV and .npy files check everything a user can get wrong — missing or unreadable
// files, ragged rows, non-numeric fields, NaN or infinite values, labels out of range, row counts
// that disagree — and name the file, line and column in the UserError.
#pragma once

#include <string>
#include <vector>

#include "spec/tensor.h"

namespace tl::rt {

struct Batch {
  HostTensor x, y;
};

struct Dataset {
  HostTensor x, y;
  int64_t size() const { return x.shape().rank() ? x.shape().dim(0) : 0; }
  // Rows in the given order.
  Dataset rows(const std::vector<int64_t>& index) const;
  Dataset range(int64_t begin, int64_t end) const;
  Batch all() const { return {x, y}; }
};

class DataLoader {
 public:
  DataLoader(Dataset data, int64_t batch_size, bool shuffle = false, uint64_t seed = 0, bool drop_last = false);
  // The batches of the next epoch (advances the shuffle state).
  std::vector<Batch> epoch();
  int64_t batch_size() const { return batch_; }
  const Dataset& dataset() const { return data_; }

 private:
  Dataset data_;
  int64_t batch_;
  bool shuffle_, drop_last_;
  uint64_t state_;
};

// A numeric CSV file: rows of equal length; `header` skips the first line.
struct CsvTable {
  std::vector<std::string> columns;  // from the header, or c0, c1, ...
  std::vector<std::vector<double>> rows;
};
CsvTable read_csv(const std::string& path, bool header);

// Columns [0, inputs) as x and the rest as y. With `classes` > 0 the single target column must hold
// integer labels in [0, classes) and y is [N]; otherwise y is [N, columns - inputs].
Dataset tabular(const CsvTable& t, int64_t inputs, int64_t classes, DType dtype, const std::string& what);
// UserError naming `what` unless the table has exactly `columns` columns (tabular takes any number of
// target columns; an example that knows its table's layout says so).
void require_columns(const CsvTable& t, int64_t columns, const std::string& what);

// x and y from two .npy files (float32 or float64, converted exactly where representable).
Dataset load_npy(const std::string& x_path, const std::string& y_path, DType dtype);

}  // namespace tl::rt
