// tl-check's commands: run, merge, replay, list.
#include "oracle/tl_check.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <unistd.h>

#include "cases/op_examples.h"
#include "oracle/out_dir.h"
#include "oracle/replay.h"
#include "oracle/report_text.h"
#include "spec/error.h"
#include "spec/file_io.h"

namespace tl::oracle {
namespace {

namespace fs = std::filesystem;

// A comma list of `flag`: an empty item or one given twice is refused (it would be a typo, or every
// row twice).
std::vector<std::string> split_list(const std::string& text, const std::string& flag) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    TL_CHECK_USER(!item.empty(), flag + ": an empty item in '" + text + "'");
    TL_CHECK_USER(std::find(out.begin(), out.end(), item) == out.end(), flag + ": '" + item + "' is given twice");
    out.push_back(item);
  }
  TL_CHECK_USER(!out.empty() && text.back() != ',', flag + ": an empty item in '" + text + "'");
  return out;
}

std::vector<std::string> parse_backends(const std::string& text) {
  if (text == "all") return backend::backend_names();
  std::vector<std::string> out = split_list(text, "--backend");
  const std::vector<std::string>& known = backend::backend_names();
  for (const std::string& b : out) {
    TL_CHECK_USER(std::find(known.begin(), known.end(), b) != known.end(),
                  "unknown backend '" + b + "' (expected " + backend::backend_names_text() + ", or all)");
  }
  return out;
}

std::vector<DType> parse_dtypes(const std::string& text) {
  if (text == "all") return {DType::f32, DType::f64};
  std::vector<DType> out;
  for (const std::string& name : split_list(text, "--dtype")) {
    DType d = parse_dtype(name, "--dtype");
    TL_CHECK_USER(std::find(out.begin(), out.end(), d) == out.end(), "--dtype: '" + text + "' names a dtype twice");
    out.push_back(d);
  }
  return out;
}

OpId parse_op(const std::string& name) {
  for (const OpInfo& info : kOpInfo) {
    if (info.name == name || info.json_name == name) return info.id;
  }
  throw UserError("--ops: unknown op '" + name + "' (tl-check --list-ops lists them)");
}

std::vector<OpId> parse_ops(const std::string& text) {
  std::vector<OpId> out;
  if (text.empty() || text == "all") {
    for (const OpInfo& info : kOpInfo) out.push_back(info.id);
    return out;
  }
  for (const std::string& name : split_list(text, "--ops")) {
    OpId op = parse_op(name);  // "constant" and "const" are one op
    TL_CHECK_USER(std::find(out.begin(), out.end(), op) == out.end(), "--ops: '" + text + "' names an op twice");
    out.push_back(op);
  }
  return out;
}

void parse_shard(const std::string& text, RunOptions& o) {
  if (text.empty()) return;
  std::size_t slash = text.find('/');
  TL_CHECK_USER(slash != std::string::npos, "--shard: expected K/N, got '" + text + "'");
  try {
    std::size_t used = 0;
    o.shard = std::stoi(text.substr(0, slash), &used);
    TL_CHECK_USER(used == slash, "--shard: expected K/N, got '" + text + "'");
    o.shards = std::stoi(text.substr(slash + 1), &used);
    TL_CHECK_USER(used == text.size() - slash - 1, "--shard: expected K/N, got '" + text + "'");
  } catch (const std::logic_error&) {
    throw UserError("--shard: expected K/N with integers, got '" + text + "'");
  }
  TL_CHECK_USER(o.shards >= 1 && o.shards <= kMaxShards && o.shard >= 0 && o.shard < o.shards,
                "--shard: need 0 <= K < N <= " + std::to_string(kMaxShards) + ", got '" + text + "'");
}

// "[#####.....] 1234/5600 checks, about 12 s left" on stderr, redrawn at most five times a second
// (and at the end); the estimate is the elapsed time per check so far.
void progress_bar(int64_t done, int64_t total) {
  using Clock = std::chrono::steady_clock;
  static const Clock::time_point start = Clock::now();
  static Clock::time_point last;
  const Clock::time_point now = Clock::now();
  if (done < total && now - last < std::chrono::milliseconds(200)) return;
  last = now;
  const double elapsed = std::chrono::duration<double>(now - start).count();
  const double left = done > 0 ? elapsed * static_cast<double>(total - done) / static_cast<double>(done) : 0;
  int width = 40, filled = static_cast<int>(width * done / std::max<int64_t>(1, total));
  std::fprintf(stderr, "\r[%s%s] %lld/%lld checks, about %.0f s left   ",
               std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(width - filled), '.').c_str(), static_cast<long long>(done),
               static_cast<long long>(total), left);
  if (done == total) std::fprintf(stderr, "\n");
}

void write_report_files(const Report& r, const std::string& dir) {
  fs::create_directories(dir);
  write_file_atomic((fs::path(dir) / "report.json").string(), report_json(r));
  write_file_atomic((fs::path(dir) / "report.md").string(), report_markdown(r));
  write_file_atomic((fs::path(dir) / "report.html").string(), report_html(r));
}

// True when some row or graph was judged (pass, FAIL or undecided), or when rows were left empty
// only by --shard (a shard of few cases): a selection that checks nothing is none of these.
bool checks_something(const Report& r) {
  Summary s = summarize(r);
  if (s.pass + s.fail + s.undecided > 0) return true;
  for (const Row& row : r.rows)
    if (row.note == kNoCasesInShard) return true;
  return false;
}

// What --fail-on adds to a contract failure as a reason for exit 1.
struct FailOn {
  bool suspicious = false, undecided = false, unchecked = false;
};

FailOn parse_fail_on(const std::string& text) {
  FailOn f;
  if (text.empty()) return f;
  const std::pair<const char*, bool*> reasons[] = {
      {"suspicious", &f.suspicious}, {"undecided", &f.undecided}, {"unchecked", &f.unchecked}};
  for (const std::string& item : split_list(text, "--fail-on")) {
    bool* flag = nullptr;
    for (const auto& [name, on] : reasons)
      if (item == name) flag = on;
    TL_CHECK_USER(flag, "--fail-on: expected suspicious, undecided or unchecked, got '" + item + "'");
    TL_CHECK_USER(!*flag, "--fail-on: '" + item + "' is given twice");
    *flag = true;
  }
  return f;
}

// The --fail-on reasons this report meets, as text ("" when none).
std::string fail_on_reasons(const Report& r, const FailOn& f) {
  Summary s = summarize(r);
  int64_t suspicious = 0;
  for (const GraphRow& g : r.graphs) suspicious += g.suspicious;
  std::string why;
  auto add = [&](bool on, int64_t count, const char* what) {
    if (on && count > 0) why += (why.empty() ? "" : ", ") + std::to_string(count) + " " + what;
  };
  add(f.suspicious, suspicious, "suspicious graph rows");
  add(f.undecided, s.undecided, "undecided rows");
  add(f.unchecked, s.skipped + s.unsupported, "skipped or unsupported rows");
  return why;
}

// Failing rows and graphs with their replay commands, then the summary line (last). Exit status 2
// for a run that checked nothing, unless `allow_empty`; 1 for a failure or a --fail-on reason.
int print_outcome(const Report& r, const std::string& dir, bool allow_empty, const FailOn& fail_on) {
  for (const Row& row : r.rows) {
    if (row.verdict != Verdict::fail && row.verdict != Verdict::undecided) continue;
    std::printf("%s %s %s %s %s: %s (%s)\n", std::string(verdict_name(row.verdict)).c_str(), row.backend.c_str(),
                std::string(dtype_name(row.dtype)).c_str(), std::string(op_name(row.op)).c_str(),
                direction_text(row.direction).c_str(), contract_text(row.contract).c_str(),
                row.note.c_str());
    for (const std::string& f : row.discrepancy_files)
      std::printf("  replay: tl-check --replay %s\n", (fs::path(dir) / f).string().c_str());
  }
  std::string last_source;  // a graph file's rows are adjacent, one per backend
  for (const GraphRow& g : r.graphs) {
    if (!g.source.empty() && g.source != last_source) std::printf("graph %s: inputs %s\n", g.source.c_str(), g.inputs.c_str());
    last_source = g.source;
    if (g.local == Verdict::pass) continue;
    std::printf("%s graph %s (%s %s, seed %llu): %s\n", std::string(verdict_name(g.local)).c_str(),
                report_text::graph_label(g).c_str(), g.backend.c_str(), std::string(dtype_name(g.dtype)).c_str(),
                static_cast<unsigned long long>(g.seed), g.first_bad_node.c_str());
    if (!g.discrepancy_file.empty() && g.discrepancy_is_graph)
      std::printf("  replay: tl-check --graph %s --backend %s\n", (fs::path(dir) / g.discrepancy_file).string().c_str(), g.backend.c_str());
    else if (!g.discrepancy_file.empty())
      std::printf("  replay: tl-check --replay %s\n", (fs::path(dir) / g.discrepancy_file).string().c_str());
  }
  for (const auto& [name, reason] : r.settings.unavailable) std::printf("backend %s not run: %s\n", name.c_str(), reason.c_str());
  std::printf("report: %s/report.md, report.html, report.json (%.1f s, %.0f cases/s)\n", dir.c_str(), r.seconds,
              r.seconds > 0 ? static_cast<double>(r.cases_run) / r.seconds : 0.0);
  Summary s = summarize(r);
  std::printf("%s\n", summary_line(s).c_str());
  if (!allow_empty && !checks_something(r)) {
    std::fprintf(stderr, "tl-check: error: nothing was checked: every row is skipped or unsupported (see the "
                         "report's notes) and no graph ran; --allow-empty accepts such a run\n");
    return 2;
  }
  if (std::string why = fail_on_reasons(r, fail_on); !why.empty()) {
    std::fprintf(stderr, "tl-check: --fail-on: %s\n", why.c_str());
    return 1;
  }
  return s.fail > 0 ? 1 : 0;
}

}  // namespace

int run_check_command(const CheckCommand& c) {
  RunOptions o;
  const FailOn fail_on = parse_fail_on(c.fail_on);
  std::vector<std::string> wanted = parse_backends(c.backend);
  o.dtypes = parse_dtypes(c.dtype);
  o.ops = parse_ops(c.ops);
  o.tier = parse_tier(c.tier, "--tier");
  parse_shard(c.shard, o);
  o.cases = c.cases;
  o.seed = c.seed;
  o.gradients = !c.no_grad;
  o.graphs = c.graphs;
  o.graph_files = c.graph_files;
  o.inputs_dir = c.inputs_dir;
  if (!c.graph_files.empty() && c.ops.empty()) o.ops.clear();  // only the user's graphs, unless --ops asks
  TL_CHECK_USER(c.inputs_dir.empty() || fs::is_directory(c.inputs_dir), "--inputs: '" + c.inputs_dir + "' is not a directory");
  for (std::size_t i = 0; i < c.graph_files.size(); ++i) {  // the files themselves are read first by run_checks
    for (std::size_t j = 0; j < i; ++j) {
      TL_CHECK_USER(fs::weakly_canonical(c.graph_files[j]) != fs::weakly_canonical(c.graph_files[i]),
                    "--graph: '" + c.graph_files[i] + "' is given twice");
    }
  }
  o.threads = c.threads;
  o.out_dir = c.out;
  o.command = c.command_line;
  for (const std::string& b : wanted) {
    std::string why = backend::unavailable_reason(b);
    if (why.empty()) o.backends.push_back(b);
    else o.unavailable[b] = why;
  }
  if (c.backend != "all" && !o.unavailable.empty()) {
    for (const auto& [b, why] : o.unavailable) std::fprintf(stderr, "tl-check: backend %s unavailable: %s\n", b.c_str(), why.c_str());
    return 3;
  }
  OutDir out(c.out);
  o.write_dir = out.staging();
  if (c.progress && isatty(2)) o.progress = progress_bar;
  std::printf("tl-check seed=%llu tier=%s (replay the run: %s)\n", static_cast<unsigned long long>(c.seed),
              c.tier.c_str(), c.command_line.c_str());
  std::fflush(stdout);
  Report r = run_checks(o);
  write_report_files(r, out.staging());
  out.publish();
  return print_outcome(r, c.out, c.allow_empty, fail_on);
}

int run_merge_command(const std::vector<std::string>& dirs, const std::string& out) {
  for (const std::string& dir : dirs)
    TL_CHECK_USER(fs::weakly_canonical(dir) != fs::weakly_canonical(out),
                  "merge: --out '" + out + "' is one of the shard folders; the merged report would replace its own");
  std::vector<Report> parts;
  OutDir out_dir(out);
  for (const std::string& dir : dirs) {
    std::string path = (fs::path(dir) / "report.json").string();
    Report r = parse_report_json(read_file(path), path);
    std::string prefix = "shard" + std::to_string(r.settings.shard) + "-";
    auto adopt = [&](std::string& rel) {
      fs::path normal = fs::path(rel).lexically_normal();
      TL_CHECK_USER(normal.is_relative() && *normal.begin() == "discrepancies" && normal.parent_path() == "discrepancies",
                    path + ": record path '" + rel + "' is not discrepancies/<file>");
      std::string renamed = "discrepancies/" + prefix + fs::path(rel).filename().string();
      fs::path from = fs::path(dir) / rel, to = fs::path(out_dir.staging()) / renamed;
      TL_CHECK_USER(fs::is_regular_file(from), path + ": its record '" + rel + "' is missing");
      fs::create_directories(to.parent_path());
      fs::copy_file(from, to, fs::copy_options::overwrite_existing);
      rel = renamed;
    };
    for (Row& row : r.rows) {
      for (std::string& f : row.discrepancy_files) adopt(f);
    }
    for (GraphRow& g : r.graphs) {
      if (!g.discrepancy_file.empty()) adopt(g.discrepancy_file);
    }
    parts.push_back(std::move(r));
  }
  Report merged = merge_reports(parts);
  merged.trust = collect_trust(merged.rows, merged.graphs);
  if (static_cast<int>(parts.size()) < merged.settings.shards)  // merge_reports refused repeated shards
    std::fprintf(stderr, "tl-check merge: warning: %d shard(s) were given of a run split into %d: the report covers only them\n",
                 static_cast<int>(dirs.size()), merged.settings.shards);
  write_report_files(merged, out_dir.staging());
  out_dir.publish();
  return print_outcome(merged, out, false, FailOn{});
}

int run_replay_command(const std::string& path) {
  ReplayCase rc = read_replay(path);
  std::string why = backend::unavailable_reason(rc.backend);
  if (!why.empty()) {
    std::fprintf(stderr, "tl-check: backend %s unavailable: %s\n", rc.backend.c_str(), why.c_str());
    return 3;
  }
  CaseOptions co{rc.direction != "forward", rc.case_seed, "replay", nullptr, rc.upstream ? &*rc.upstream : nullptr};
  std::unique_ptr<backend::Backend> b = backend::make_backend(rc.backend);
  CaseResult res = check_case(*b, rc.op_case, co);
  for (const DirectionResult& d : res.directions) {
    std::string name = direction_text(d.direction);
    if (name != rc.direction) continue;
    std::printf("%s %s %s %s: %s, max ulp %.3g\n", std::string(verdict_name(d.verdict)).c_str(), rc.backend.c_str(),
                std::string(op_name(rc.op_case.graph.node(rc.op_case.graph.outputs[0].node).op)).c_str(), name.c_str(),
                contract_text(d.contract).c_str(), d.stats.max_ulp);
    if (d.discrepancy) {
      const Discrepancy& x = *d.discrepancy;
      std::printf("  element %lld: backend %s, real %s, strict %s: %s\n", static_cast<long long>(x.element),
                  hex_float(x.value).c_str(), x.enclosure.c_str(), x.strict ? hex_float(*x.strict).c_str() : "undecided",
                  x.why.c_str());
    }
    return d.verdict == Verdict::fail ? 1 : 0;
  }
  throw UserError(path + ": direction '" + rc.direction + "' does not exist for this op");
}

int list_ops() {
  std::printf("%-18s %-18s %-7s %s\n", "op", "json", "arity", "gradient inputs");
  for (const OpInfo& info : kOpInfo) {
    std::string grads;
    for (int k = 0; k < 8 && k < std::max(info.min_arity, 3); ++k) {
      if (op_input_gets_grad(info.id, k)) grads += (grads.empty() ? "" : ",") + std::to_string(k);
    }
    std::string arity = std::to_string(info.min_arity) + ".." +
                        (info.max_arity == kVariadic ? std::string("n") : std::to_string(info.max_arity));
    std::printf("%-18s %-18s %-7s %s\n", std::string(info.name).c_str(), std::string(info.json_name).c_str(),
                arity.c_str(), grads.empty() ? "-" : grads.c_str());
  }
  return 0;
}

int list_contracts(const std::string& backend, const std::string& dtype) {
  for (const std::string& name : parse_backends(backend)) {
    std::unique_ptr<backend::Backend> b = backend::make_backend(name);
    for (DType d : parse_dtypes(dtype)) {
      for (const OpInfo& info : kOpInfo) {
        for (int k = -1; k < static_cast<int>(valid_example(info.id).inputs.size()); ++k) {
          if (k >= 0 && !op_input_gets_grad(info.id, k)) continue;
          Contract c = b->contract(info.id, d, {k});
          std::printf("%-9s %-7s %-17s %-8s %-45s %s: %s\n", name.c_str(), std::string(dtype_name(d)).c_str(),
                      std::string(info.name).c_str(), direction_text({k}).c_str(),
                      contract_text(c).c_str(), std::string(evidence_name(c.evidence)).c_str(), c.evidence_detail.c_str());
        }
      }
    }
  }
  return 0;
}

}  // namespace tl::oracle
