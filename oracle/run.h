// A tl-check run: every selected op × dtype × backend checked over seeded cases (and optionally
// random whole graphs), rows aggregated into a Report, discrepancy records written to a directory.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "oracle/report.h"

namespace tl::oracle {


struct RunOptions {
  std::vector<std::string> backends;  // available ones only; unavailable ones go to `unavailable`
  std::map<std::string, std::string> unavailable;
  std::vector<DType> dtypes;
  std::vector<OpId> ops;
  Tier tier = Tier::unit;
  int64_t cases = 0;     // per op × dtype (0: the tier's default)
  uint64_t seed = 1;
  bool gradients = true;
  int64_t graphs = 0;    // random whole graphs per dtype
  std::vector<std::string> graph_files;  // users' tl.ir.v1 graphs, checked whole (cases/user_graphs.h)
  std::string inputs_dir;                // .npy values for their inputs, by input name
  int shard = 0, shards = 1;
  int threads = 2;
  std::string out_dir;   // discrepancy files are named out_dir/discrepancies/... (in replay lines)
  std::string write_dir; // ... and written to write_dir/discrepancies/ (empty: out_dir), moved at the end
  std::string command;   // recorded in the report and in replay lines
  std::function<void(int64_t done, int64_t total)> progress;
};

int64_t default_cases(Tier t);

// The value generator used for case `index` in a tier.
ValueKind case_kind(Tier t, int64_t index);

Report run_checks(const RunOptions& options);

// Writes one JSON file per discrepancy (under opt's write_dir, naming opt's out_dir in its replay
// command); returns the paths relative to the report dir.
std::vector<std::string> write_discrepancies(const std::vector<Discrepancy>& ds, const RunOptions& opt,
                                             const std::string& stem);

}  // namespace tl::oracle
