// The tl-check run loop: tasks (op × dtype) on worker threads, each running every backend over the
// task's cases; rows are merged in a fixed order so the report does not depend on the thread count.
#include "oracle/run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <span>
#include <mpfr.h>
#include <thread>

#include "checking/graph_check.h"
#include "cases/case_lists.h"
#include "cases/op_examples.h"
#include "checking/shrink.h"
#include "spec/error.h"
#include "spec/file_io.h"
#include "spec/json_io.h"

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
    r.dtype = d;
    r.op = op;
    r.direction = dir;
    r.contract = b.contract(op, d, dir);
    rows.push_back(std::move(r));
  }
  return rows;
}

// Why a row is not run at all, or "".
std::string skip_reason(OpId op, DType d, const Row& row, const RunOptions& opt) {
  if (row.contract.kind == ContractKind::unsupported) return "";
  if (op == OpId::input) return "graph inputs are bound, not computed";
  if (!opt.gradients && !row.direction.forward()) return "--no-grad";
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

// A row while its task runs: whether cases run on it (not skipped, not unsupported) and its first
// discrepancy records (shrunk where they shrink), written when the run ends.
struct TaskRow {
  Row row;
  bool runnable = false;
  std::vector<Discrepancy> records;
};

struct TaskResult {
  std::vector<TaskRow> rows;
  int64_t cases_run = 0;
};

TaskRow* find_row(std::vector<TaskRow>& rows, std::size_t first, std::size_t count, Direction dir) {
  for (std::size_t i = first; i < first + count; ++i) {
    if (rows[i].row.direction.input == dir.input) return &rows[i];
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

void run_case_on_backend(backend::Backend& b, const OpCase& c, const CaseOptions& co, const std::string& shape,
                         std::size_t first, std::size_t count, TaskResult& out) {
  auto start = std::chrono::steady_clock::now();
  CaseResult res;
  try {
    res = check_case(b, c, co);
  } catch (const std::exception& e) {  // an oracle or reference error: shown as a failure, never dropped
    for (std::size_t i = first; i < first + count; ++i) {
      Row& row = out.rows[i].row;
      if (!out.rows[i].runnable) continue;
      row.verdict = Verdict::fail;
      ++row.cases;
      ++row.cases_failed;
      ++row.shapes[shape];
      row.note = std::string("oracle error (") + co.value_kind + " case, seed " + std::to_string(co.case_seed) + "): " + e.what();
    }
    ++out.cases_run;
    return;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (DirectionResult& d : res.directions) {
    TaskRow* tr = find_row(out.rows, first, count, d.direction);
    if (!tr || !tr->runnable) continue;  // a skipped direction (e.g. --no-grad)
    accumulate(tr->row, d);
    ++tr->row.shapes[shape];
    tr->row.seconds += seconds / static_cast<double>(res.directions.size());
    if (d.discrepancy && static_cast<int64_t>(tr->records.size()) < kMaxDiscrepanciesPerRow) {
      Discrepancy record = *d.discrepancy;
      try {
        record = shrunk(b, std::move(*d.discrepancy));
      } catch (const std::exception&) {  // keep the unshrunk record
      }
      tr->records.push_back(std::move(record));
    }
  }
  ++out.cases_run;
}

// The run's progress in checks (one op case, or one graph on every backend), reported as they end
// so the bar moves inside long rows.
class Progress {
 public:
  Progress(const RunOptions& opt, int64_t total) : opt_(opt), total_(total) {}
  void advance(int64_t checks) {
    if (checks <= 0 || !opt_.progress) return;
    std::lock_guard<std::mutex> lock(mutex_);
    done_ += checks;
    opt_.progress(std::min(done_, total_), total_);
  }

 private:
  const RunOptions& opt_;
  const int64_t total_;
  int64_t done_ = 0;
  std::mutex mutex_;
};

// The cases of a row this shard runs: indices i < total with i ≡ shard (mod shards).
int64_t shard_share(int64_t total, const RunOptions& opt) {
  return total > opt.shard ? (total - opt.shard + opt.shards - 1) / opt.shards : 0;
}

TaskResult run_task(OpId op, DType d, const RunOptions& opt, Progress& progress) {
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
      bool runnable = r.note.empty();
      out.rows.push_back(TaskRow{std::move(r), runnable, {}});
    }
  }
  std::size_t per_backend = directions_of(op).size();
  CodePaths paths;
  for (const auto& b : backends)
    for (CodePath& p : b->code_paths(d)) paths.push_back(std::move(p));
  const std::vector<ShapeCase> list = case_list(op, paths);
  int64_t total = total_cases(op, d, opt);
  bool any_runnable = false;
  for (const TaskRow& r : out.rows) any_runnable |= r.runnable;
  for (int64_t i = opt.shard; any_runnable && i < total; i += opt.shards) {
    uint64_t seed = case_seed(opt.seed, op, d, i);
    SplitMix64 rng(seed);
    const CaseSlot slot = case_slot(opt.tier, i, list.size());
    const ValueKind kind = slot.kind;
    const ShapeCase& shape = list[slot.entry];
    const bool sweep = opt.tier == Tier::exhaustive;
    OpCase c = sweep ? make_bit_sweep_case(op, static_cast<uint32_t>(i) * kSweepChunk, kSweepChunk)
                     : make_op_case(op, d, rng, kind, shape.example);
    CaseOptions co{opt.gradients, seed, sweep ? "bit sweep " + std::to_string(i) : std::string(value_kind_name(kind))};
    const std::string& label = sweep ? c.graph.nodes.back().shape.str() : shape.label;
    for (std::size_t b = 0; b < backends.size(); ++b) run_case_on_backend(*backends[b], c, co, label, first[b], per_backend, out);
    progress.advance(1);
  }
  if (!any_runnable) progress.advance(shard_share(total, opt));  // counted in the total, nothing to run
  for (TaskRow& tr : out.rows) {
    Row& r = tr.row;
    if (tr.runnable && r.cases == 0) { r.verdict = Verdict::skipped; r.note = kNoCasesInShard; }
    else if (!tr.runnable && r.verdict != Verdict::unsupported) r.verdict = Verdict::skipped;
  }
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

int64_t default_cases(Tier t) {
  switch (t) {
    case Tier::smoke: return static_cast<int64_t>(std::size(kValueKinds));
    case Tier::unit: return 60;
    case Tier::exhaustive: return int64_t{1} << 16;
  }
  throw_internal("bad Tier value");
}

namespace {

// The value generators of a tier, used in turn: every tier draws from all of them.
std::span<const ValueKind> tier_kinds(Tier) { return kValueKinds; }

}  // namespace

CaseSlot case_slot(Tier t, int64_t index, std::size_t entries) {
  std::span<const ValueKind> kinds = tier_kinds(t);
  const std::size_t i = static_cast<std::size_t>(index), k = kinds.size();
  if (entries >= k) {
    const std::size_t entry = i % entries;
    return {entry, kinds[(entry + i / entries) % k]};
  }
  const std::size_t kind = i % k;
  return {(kind + i / k) % entries, kinds[kind]};
}

// The whole-graph rows, with the first bad node's record of each written to the discrepancy folder.
std::vector<GraphRow> checked_graph_rows(const RunOptions& opt, Progress& progress) {
  GraphCheckOptions go{opt.backends, opt.dtypes, opt.seed, opt.graphs, opt.graph_files, opt.inputs_dir,
                       opt.shard, opt.shards, [&] { progress.advance(1); }};
  std::vector<GraphRow> rows;
  for (GraphResult& r : run_graph_checks(go)) {
    if (r.first_bad) {
      std::vector<std::string> files = write_discrepancies({*r.first_bad}, opt, r.record_stem);
      if (!files.empty()) r.row.discrepancy_file = files[0];
    }
    if (r.fragment) {
      r.row.discrepancy_file = write_fragment(*r.fragment, opt, r.record_stem);
      r.row.discrepancy_is_graph = true;
    }
    rows.push_back(std::move(r.row));
  }
  return rows;
}

Report run_checks(const RunOptions& opt) {
  auto start = std::chrono::steady_clock::now();
  // Whole graphs first: a user's graph whose input values its meaning refuses is exit 2 before the
  // op rows have run, not after.
  std::vector<std::pair<OpId, DType>> tasks;
  for (DType d : opt.dtypes) {
    for (OpId op : opt.ops) tasks.emplace_back(op, d);
  }
  int64_t checks = shard_share(opt.graphs, opt) * static_cast<int64_t>(opt.dtypes.size()) +
                   shard_share(static_cast<int64_t>(opt.graph_files.size()), opt);
  for (const auto& [op, d] : tasks) checks += shard_share(total_cases(op, d, opt), opt);
  Progress progress(opt, checks);
  std::vector<GraphRow> graphs;
  if (opt.graphs > 0 || !opt.graph_files.empty()) graphs = checked_graph_rows(opt, progress);
  std::vector<TaskResult> results(tasks.size());
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::string first_error;
  auto worker = [&] {
    for (std::size_t t; (t = next++) < tasks.size();) {
      try {
        results[t] = run_task(tasks[t].first, tasks[t].second, opt, progress);
      } catch (const std::exception& e) {  // never std::terminate: reported once the workers are done
        std::lock_guard<std::mutex> lock(error_mutex);
        if (first_error.empty()) first_error = std::string(op_name(tasks[t].first)) + ": " + e.what();
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
  for (TaskResult& result : results) {
    report.cases_run += result.cases_run;
    for (TaskRow& tr : result.rows) {
      Row& row = tr.row;
      std::string dir = row.direction.forward() ? "forward" : "vjp" + std::to_string(row.direction.input);
      for (const Discrepancy& d : tr.records) {
        std::string stem = row.backend + "-" + std::string(dtype_name(row.dtype)) + "-" + std::string(op_name(row.op)) +
                           "-" + dir + "-" + std::to_string(row.discrepancy_files.size());
        for (const std::string& f : write_discrepancies({d}, opt, stem)) row.discrepancy_files.push_back(f);
      }
      report.rows.push_back(std::move(row));
    }
  }
  for (Row& r : unavailable_rows(opt)) report.rows.push_back(std::move(r));
  report.graphs = std::move(graphs);
  report.settings = opt;  // the run's own settings; the report names the unavailable backends too
  report.settings.cases = opt.tier == Tier::exhaustive ? 0 : (opt.cases > 0 ? opt.cases : default_cases(opt.tier));
  for (const auto& [name, _] : opt.unavailable) report.settings.backends.push_back(name);
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

std::string write_fragment(const Graph& fragment, const RunOptions& opt, const std::string& stem) {
  if (opt.out_dir.empty()) return "";
  std::filesystem::path write_dir = opt.write_dir.empty() ? opt.out_dir : opt.write_dir;
  std::filesystem::create_directories(write_dir / "discrepancies");
  std::string rel = "discrepancies/" + stem + ".json";
  write_file_atomic((write_dir / rel).string(), graph_to_json(fragment));
  return rel;
}

}  // namespace tl::oracle
