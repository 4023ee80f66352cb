// The tl-check run loop: tasks (op × dtype) on worker threads, each running every backend over the
// task's cases; rows are merged in a fixed order so the report does not depend on the thread count.
#include "oracle/run.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <mpfr.h>
#include <thread>

#include "oracle/graph_check.h"
#include "cases/op_examples.h"
#include "oracle/shrink.h"
#include "spec/error.h"
#include "spec/file_io.h"

namespace tl::oracle {
namespace {

constexpr int64_t kMaxDiscrepanciesPerRow = 3;
constexpr uint32_t kSweepChunk = 1u << 16;  // exhaustive tier: float32 bit patterns per case

std::vector<Direction> directions_of(OpId op) {
  std::vector<Direction> out{Direction{}};
  std::size_t inputs = valid_example(op).inputs.size();
  for (std::size_t k = 0; k < inputs; ++k) {
    if (op_input_gets_grad(op, static_cast<int>(k))) out.push_back(Direction{static_cast<int>(k)});
  }
  return out;
}

std::vector<Row> empty_rows(const backend::Backend& b, OpId op, DType d) {
  std::vector<Row> rows;
  for (Direction dir : directions_of(op)) {
    Row r;
    r.backend = b.name();
    r.dtype = std::string(dtype_name(d));
    r.op = std::string(op_name(op));
    r.direction = direction_text(dir);
    r.contract = b.contract(op, d, dir);
    rows.push_back(std::move(r));
  }
  return rows;
}

// Why a row is not run at all, or "".
std::string skip_reason(OpId op, DType d, const Row& row, const RunOptions& opt) {
  if (row.contract.kind == ContractKind::unsupported) return "";
  if (op == OpId::input) return "graph inputs are bound, not computed";
  if (!opt.gradients && row.direction != "forward") return "--no-grad";
  if (opt.tier == Tier::exhaustive && !(d == DType::f32 && is_unary_elementwise(op)))
    return "the exhaustive tier covers float32 unary elementwise ops";
  return "";
}

int64_t total_cases(OpId op, DType d, const RunOptions& opt) {
  if (opt.tier != Tier::exhaustive) return opt.cases > 0 ? opt.cases : default_cases(opt.tier);
  if (!(d == DType::f32 && is_unary_elementwise(op))) return 0;
  int64_t all = int64_t{1} << 16;  // 2^32 patterns in chunks of 2^16
  return opt.cases > 0 ? std::min(opt.cases, all) : all;
}

struct TaskResult {
  std::vector<Row> rows;
  std::vector<bool> runnable;  // per row: cases run on it (not skipped, not unsupported)
  std::vector<std::pair<std::size_t, Discrepancy>> discrepancies;  // row index, record
  int64_t cases_run = 0;
};

Row* find_row(std::vector<Row>& rows, std::size_t first, std::size_t count, const std::string& dir, std::size_t& at) {
  for (std::size_t i = first; i < first + count; ++i) {
    if (rows[i].direction == dir) { at = i; return &rows[i]; }
  }
  return nullptr;
}

// A failing record re-made from its shrunk case (undecided records and cases that do not shrink
// are kept as they are).
Discrepancy shrunk(backend::Backend& b, Discrepancy d) {
  if (d.verdict != Verdict::fail || d.element < 0) return d;
  const HostTensor* g = d.seed ? &*d.seed : nullptr;
  OpCase small = shrink_case(b, d.op_case, d.direction, g);
  std::optional<Discrepancy> again = discrepancy_of(b, small, d.direction, g, d.case_seed);
  if (!again) return d;
  again->value_kind = d.value_kind;
  again->shrunk = true;
  return std::move(*again);
}

void run_case_on_backend(backend::Backend& b, const OpCase& c, const CaseOptions& co, std::size_t first, std::size_t count,
                         TaskResult& out) {
  auto start = std::chrono::steady_clock::now();
  CaseResult res;
  try {
    res = check_case(b, c, co);
  } catch (const std::exception& e) {  // an oracle or reference error: shown as a failure, never dropped
    for (std::size_t i = first; i < first + count; ++i) {
      Row& row = out.rows[i];
      if (!out.runnable[i]) continue;
      row.verdict = Verdict::fail;
      ++row.cases;
      ++row.cases_failed;
      row.note = std::string("oracle error (") + co.value_kind + " case, seed " + std::to_string(co.case_seed) + "): " + e.what();
    }
    ++out.cases_run;
    return;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (DirectionResult& d : res.directions) {
    std::size_t at = 0;
    Row* row = find_row(out.rows, first, count, direction_text(d.direction), at);
    if (!row || !out.runnable[at]) continue;  // a skipped direction (e.g. --no-grad)
    accumulate(*row, d);
    row->seconds += seconds / static_cast<double>(res.directions.size());
    int64_t kept = 0;
    for (const auto& [i, _] : out.discrepancies) kept += i == at;
    if (d.discrepancy && kept < kMaxDiscrepanciesPerRow) {
      Discrepancy record = *d.discrepancy;
      try {
        record = shrunk(b, std::move(*d.discrepancy));
      } catch (const std::exception&) {  // keep the unshrunk record
      }
      out.discrepancies.emplace_back(at, std::move(record));
    }
  }
  ++out.cases_run;
}

TaskResult run_task(OpId op, DType d, const RunOptions& opt, std::atomic<int64_t>& done) {
  TaskResult out;
  std::vector<std::unique_ptr<backend::Backend>> backends;
  std::vector<std::size_t> first;
  for (const std::string& name : opt.backends) {
    backends.push_back(backend::make_backend(name));
    first.push_back(out.rows.size());
    for (Row& r : empty_rows(*backends.back(), op, d)) {
      r.note = skip_reason(op, d, r, opt);
      if (r.contract.kind == ContractKind::unsupported) {
        r.verdict = Verdict::unsupported;
        r.note = r.contract.evidence_detail;
      }
      out.runnable.push_back(r.note.empty());
      out.rows.push_back(std::move(r));
    }
  }
  std::size_t per_backend = directions_of(op).size();
  int64_t total = total_cases(op, d, opt);
  bool any_runnable = false;
  for (bool r : out.runnable) any_runnable |= r;
  for (int64_t i = opt.shard; any_runnable && i < total; i += opt.shards) {
    uint64_t seed = case_seed(opt.seed, op, d, i);
    SplitMix64 rng(seed);
    ValueKind kind = case_kind(opt.tier, i);
    OpCase c = opt.tier == Tier::exhaustive
                   ? make_bit_sweep_case(op, static_cast<uint32_t>(i) * kSweepChunk, kSweepChunk)
                   : make_op_case(op, d, rng, kind);
    CaseOptions co{opt.gradients, seed,
                   opt.tier == Tier::exhaustive ? "bit sweep " + std::to_string(i) : std::string(value_kind_name(kind))};
    for (std::size_t b = 0; b < backends.size(); ++b) run_case_on_backend(*backends[b], c, co, first[b], per_backend, out);
  }
  for (std::size_t i = 0; i < out.rows.size(); ++i) {
    Row& r = out.rows[i];
    if (out.runnable[i] && r.cases == 0) { r.verdict = Verdict::skipped; r.note = "no cases in this shard"; }
    else if (!out.runnable[i] && r.verdict != Verdict::unsupported) r.verdict = Verdict::skipped;
  }
  ++done;
  return out;
}

std::vector<Row> unavailable_rows(const RunOptions& opt) {
  std::vector<Row> rows;
  for (const auto& [name, reason] : opt.unavailable) {
    std::unique_ptr<backend::Backend> b = backend::make_backend(name);
    for (DType d : opt.dtypes) {
      for (OpId op : opt.ops) {
        for (Row& r : empty_rows(*b, op, d)) {
          r.verdict = Verdict::skipped;
          r.note = "backend unavailable: " + reason;
          rows.push_back(std::move(r));
        }
      }
    }
  }
  return rows;
}

}  // namespace

std::string_view tier_name(Tier t) {
  switch (t) {
    case Tier::smoke: return "smoke";
    case Tier::unit: return "unit";
    case Tier::exhaustive: return "exhaustive";
  }
  throw_internal("bad Tier value");
}

int64_t default_cases(Tier t) {
  switch (t) {
    case Tier::smoke: return 6;
    case Tier::unit: return 60;
    case Tier::exhaustive: return int64_t{1} << 16;
  }
  throw_internal("bad Tier value");
}

ValueKind case_kind(Tier t, int64_t index) {
  static constexpr ValueKind kSmoke[] = {ValueKind::dyadic, ValueKind::special};
  if (t == Tier::smoke) return kSmoke[index % 2];
  return kValueKinds[index % std::size(kValueKinds)];
}

// The whole-graph rows, with the first bad node's record of each written to the discrepancy folder.
std::vector<GraphRow> checked_graph_rows(const RunOptions& opt) {
  GraphCheckOptions go{opt.backends, opt.dtypes, opt.seed, opt.graphs, opt.graph_files, opt.inputs_dir,
                       opt.shard, opt.shards};
  std::vector<GraphRow> rows;
  for (GraphResult& r : run_graph_checks(go)) {
    if (r.first_bad) {
      std::vector<std::string> files = write_discrepancies({*r.first_bad}, opt, r.record_stem);
      if (!files.empty()) r.row.discrepancy_file = files[0];
    }
    rows.push_back(std::move(r.row));
  }
  return rows;
}

Report run_checks(const RunOptions& opt) {
  auto start = std::chrono::steady_clock::now();
  // Whole graphs first: a user's graph whose input values its meaning refuses is exit 2 before the
  // op rows have run, not after.
  std::vector<GraphRow> graphs;
  if (opt.graphs > 0 || !opt.graph_files.empty()) graphs = checked_graph_rows(opt);
  std::vector<std::pair<OpId, DType>> tasks;
  for (DType d : opt.dtypes) {
    for (OpId op : opt.ops) tasks.emplace_back(op, d);
  }
  std::vector<TaskResult> results(tasks.size());
  std::atomic<std::size_t> next{0};
  std::atomic<int64_t> done{0};
  std::mutex progress_mutex;
  std::mutex error_mutex;
  std::string first_error;
  auto worker = [&] {
    for (std::size_t t; (t = next++) < tasks.size();) {
      try {
        results[t] = run_task(tasks[t].first, tasks[t].second, opt, done);
      } catch (const std::exception& e) {  // never std::terminate: reported once the workers are done
        std::lock_guard<std::mutex> lock(error_mutex);
        if (first_error.empty()) first_error = std::string(op_name(tasks[t].first)) + ": " + e.what();
      }
      if (opt.progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        opt.progress(done, static_cast<int64_t>(tasks.size()));
      }
    }
    mpfr_free_cache();  // MPFR's constant caches are per thread: free them before the thread ends
  };
  std::vector<std::thread> pool;
  for (int i = 0; i < std::max(1, opt.threads); ++i) pool.emplace_back(worker);
  for (auto& th : pool) th.join();
  if (!first_error.empty()) throw_internal("tl-check could not run a task: " + first_error);

  Report report;
  std::vector<Discrepancy> all;
  for (TaskResult& tr : results) {
    std::size_t base = report.rows.size();
    for (Row& r : tr.rows) report.rows.push_back(std::move(r));
    report.cases_run += tr.cases_run;
    for (auto& [i, d] : tr.discrepancies) {
      Row& row = report.rows[base + i];
      std::string dir = row.direction == "forward" ? "forward" : "vjp" + row.direction.substr(4, row.direction.size() - 5);
      std::string stem = row.backend + "-" + row.dtype + "-" + row.op + "-" + dir + "-" +
                         std::to_string(row.discrepancy_files.size());
      for (const std::string& f : write_discrepancies({d}, opt, stem)) row.discrepancy_files.push_back(f);
    }
  }
  for (Row& r : unavailable_rows(opt)) report.rows.push_back(std::move(r));
  report.graphs = std::move(graphs);
  report.settings.command = opt.command;
  report.settings.tier = std::string(tier_name(opt.tier));
  report.settings.seed = opt.seed;
  report.settings.cases = opt.tier == Tier::exhaustive ? 0 : (opt.cases > 0 ? opt.cases : default_cases(opt.tier));
  report.settings.shard = opt.shard;
  report.settings.shards = opt.shards;
  report.settings.gradients = opt.gradients;
  report.settings.graphs = opt.graphs;
  report.settings.graph_files = opt.graph_files;
  report.settings.backends = opt.backends;
  for (const auto& [name, _] : opt.unavailable) report.settings.backends.push_back(name);
  for (DType d : opt.dtypes) report.settings.dtypes.emplace_back(dtype_name(d));
  report.settings.unavailable = opt.unavailable;
  report.trust = collect_trust(report.rows, report.graphs);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::vector<std::string> write_discrepancies(const std::vector<Discrepancy>& ds, const RunOptions& opt,
                                             const std::string& stem) {
  std::vector<std::string> out;
  if (opt.out_dir.empty()) return out;
  std::filesystem::path write_dir = opt.write_dir.empty() ? opt.out_dir : opt.write_dir;
  std::filesystem::create_directories(write_dir / "discrepancies");
  for (std::size_t i = 0; i < ds.size(); ++i) {
    std::string rel = "discrepancies/" + stem + (ds.size() > 1 ? "-" + std::to_string(i) : "") + ".json";
    std::string path = (std::filesystem::path(opt.out_dir) / rel).string();
    write_file_atomic((write_dir / rel).string(), discrepancy_json(ds[i], "tl-check --replay " + path));
    out.push_back(rel);
  }
  return out;
}

}  // namespace tl::oracle
