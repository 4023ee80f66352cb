// The agreement report's data (DESIGN §9): one row per backend × dtype × op × direction, the graph
// checks, the run's settings and the trust boundary. Writers for JSON, Markdown and HTML are in
// report_*.cpp; rows from shards merge into one report.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "checking/check_op.h"
#include "checking/graph_check.h"

namespace tl::oracle {

// Rows are keyed by (backend, dtype, op, direction); names are written and read only by the writers
// and the reader.
struct Row {
  std::string backend;
  DType dtype = DType::f32;
  OpId op = OpId::input;
  Direction direction;
  Contract contract;
  Verdict verdict = Verdict::skipped;
  std::string note;  // why skipped / unsupported; the first failure's reason
  int64_t cases = 0, cases_failed = 0, cases_undecided = 0;
  int64_t cases_outside = 0;  // outside the contract's precondition (e.g. intermediate overflow possible)
  ErrorStats stats;
  double seconds = 0;
  std::vector<std::string> discrepancy_files;
  // The case-list entries its cases ran on (cases/case_lists.h): label -> cases.
  std::map<std::string, int64_t> shapes;
};


// How hard a run looks: a few cases per row, the default unit tier, or every float32 input.
enum class Tier { smoke, unit, exhaustive };
std::string_view tier_name(Tier t);
Tier parse_tier(const std::string& text, const std::string& what);  // UserError naming `what`

// The note of a row that its shard left without cases (--shard K/N with few cases): not a skip of
// the selection; merge clears it where another shard ran cases.
inline constexpr std::string_view kNoCasesInShard = "no cases in this shard";

// The most shards a run may be split into (--shard K/N) and a merge may join.
constexpr int kMaxShards = 4096;

// The run's settings as the report records them (typed; written and read by report_json.cpp). The
// run's options (RunOptions, oracle/run.h) are these plus what only the run needs, so one type goes
// from the flags to the report.
struct Settings {
  std::string command;
  Tier tier = Tier::unit;
  uint64_t seed = 0;
  int64_t cases = 0;
  int shard = 0, shards = 1;
  bool gradients = true;
  int64_t graphs = 0;
  std::vector<std::string> graph_files;
  std::vector<std::string> backends;
  std::vector<DType> dtypes;
  std::map<std::string, std::string> unavailable;  // backend -> reason
};

struct Trust {
  std::vector<std::pair<std::string, std::string>> assumed;  // component -> version / flags
  std::vector<std::string> empirical;                        // rows whose contract has no proof
};

struct Report {
  Settings settings;
  std::vector<Row> rows;
  std::vector<GraphRow> graphs;
  Trust trust;
  double seconds = 0;
  int64_t cases_run = 0;  // op cases × backends
};

struct Summary {
  int64_t pass = 0, fail = 0, unsupported = 0, skipped = 0, undecided = 0;
};
Summary summarize(const Report& r);  // rows and graph rows by verdict
std::string summary_line(const Summary& s);  // "summary pass=P fail=F unsupported=U skipped=S undecided=D"

// Adds a case's direction result to a row.
void accumulate(Row& row, const DirectionResult& d);
// Merges shard reports: rows with the same key add up; settings must agree except the shard.
Report merge_reports(const std::vector<Report>& parts);

// Writers and the reader (report.json is the machine format; merge reads it back).
std::string report_json(const Report& r);
Report parse_report_json(const std::string& text, const std::string& where);
std::string report_markdown(const Report& r);
std::string report_html(const Report& r);
std::string discrepancy_json(const Discrepancy& d, const std::string& replay_command);

// The trust boundary of this build and machine: library versions, compiler and flags, libm, CPU.
Trust collect_trust(const std::vector<Row>& rows, const std::vector<GraphRow>& graphs);

}  // namespace tl::oracle
