// A tl-check run: every selected op × dtype × backend checked over seeded cases (and optionally
// random whole graphs), rows aggregated into a Report, discrepancy records written to a directory.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "oracle/report.h"

namespace tl::oracle {


// What a run does: the settings its report records (the backends that run; cases 0 for the tier's
// default), and what only the run needs. Parsed once from the flags (tl_check.cpp).
struct RunOptions : Settings {
  std::vector<OpId> ops;
  std::string inputs_dir;  // .npy values for the graph files' inputs, by input name
  int threads = 2;
  std::string out_dir;     // discrepancy files are named out_dir/discrepancies/... (in replay lines)
  std::string write_dir;   // ... and written to write_dir/discrepancies/ (empty: out_dir), moved at the end
  std::function<void(int64_t done, int64_t total)> progress;
};

int64_t default_cases(Tier t);

// The value generator used for case `index` in a tier.
ValueKind case_kind(Tier t, int64_t index);
// The entry of an op's case list (of `entries`) that case `index` runs on: every entry within about
// entries·(1 + 1/K) cases for K value generators, and an entry meets other generators on each pass.
std::size_t case_shape(int64_t index, std::size_t entries);

Report run_checks(const RunOptions& options);

// Writes one JSON file per discrepancy (under opt's write_dir, naming opt's out_dir in its replay
// command); returns the paths relative to the report dir.
std::vector<std::string> write_discrepancies(const std::vector<Discrepancy>& ds, const RunOptions& opt,
                                             const std::string& stem);

}  // namespace tl::oracle
