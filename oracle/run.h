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

// What case `index` of a row runs on: an entry of the op's case list (S `entries`) and one of the
// tier's K value generators. The first max(S, K) cases reach every entry and every generator, and the
// first S·K every (entry, generator) pair: with S >= K, entry index mod S meets generator
// (entry + pass) mod K; with S < K the roles swap.
struct CaseSlot {
  std::size_t entry;
  ValueKind kind;
};
CaseSlot case_slot(Tier t, int64_t index, std::size_t entries);

Report run_checks(const RunOptions& options);

// Writes one JSON file per discrepancy (under opt's write_dir, naming opt's out_dir in its replay
// command); returns the paths relative to the report dir.
std::vector<std::string> write_discrepancies(const std::vector<Discrepancy>& ds, const RunOptions& opt,
                                             const std::string& stem);
// Writes a failed accumulation's graph fragment (checking/accumulation.h) as a tl.ir.v1 file beside
// the records; returns its path relative to the report dir ("" without an out dir).
std::string write_fragment(const Graph& fragment, const RunOptions& opt, const std::string& stem);

}  // namespace tl::oracle
