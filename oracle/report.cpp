// Report bookkeeping: accumulating case results into rows, summaries, merging shards.
#include "oracle/report.h"

#include <algorithm>
#include <tuple>

#include "spec/error.h"

namespace tl::oracle {

std::string_view tier_name(Tier t) {
  switch (t) {
    case Tier::smoke: return "smoke";
    case Tier::unit: return "unit";
    case Tier::exhaustive: return "exhaustive";
  }
  throw_internal("bad Tier value");
}

Tier parse_tier(const std::string& text, const std::string& what) {
  for (Tier t : {Tier::smoke, Tier::unit, Tier::exhaustive}) {
    if (tier_name(t) == text) return t;
  }
  throw UserError(what + ": expected smoke, unit or exhaustive, got '" + text + "'");
}

void accumulate(Row& row, const DirectionResult& d) {
  row.verdict = row.cases == 0 ? d.verdict : combine(row.verdict, d.verdict);
  ++row.cases;
  row.cases_failed += d.verdict == Verdict::fail;
  row.cases_undecided += d.verdict == Verdict::undecided;
  row.cases_outside += d.outside_precondition;
  row.stats.add(d.stats);
  if (d.verdict == Verdict::fail && d.discrepancy && row.cases_failed == 1) row.note = d.discrepancy->why;
}

Summary summarize(const Report& r) {
  Summary s;
  auto count = [&](Verdict v) {
    switch (v) {
      case Verdict::pass: ++s.pass; return;
      case Verdict::fail: ++s.fail; return;
      case Verdict::unsupported: ++s.unsupported; return;
      case Verdict::skipped: ++s.skipped; return;
      case Verdict::undecided: ++s.undecided; return;
    }
    throw_internal("bad Verdict value");
  };
  for (const Row& row : r.rows) count(row.verdict);
  for (const GraphRow& g : r.graphs) count(g.local);
  return s;
}

std::string summary_line(const Summary& s) {
  return "summary pass=" + std::to_string(s.pass) + " fail=" + std::to_string(s.fail) +
         " unsupported=" + std::to_string(s.unsupported) + " skipped=" + std::to_string(s.skipped) +
         " undecided=" + std::to_string(s.undecided);
}

namespace {

auto row_key(const Row& r) { return std::tie(r.backend, r.dtype, r.op, r.direction.input); }

void merge_row(Row& into, const Row& from) {
  if (from.cases == 0) return;  // nothing run in that shard
  if (into.cases == 0) {
    std::vector<std::string> files = into.discrepancy_files;
    into = from;
    into.discrepancy_files.insert(into.discrepancy_files.begin(), files.begin(), files.end());
    return;
  }
  into.verdict = combine(into.verdict, from.verdict);
  into.cases += from.cases;
  into.cases_failed += from.cases_failed;
  into.cases_undecided += from.cases_undecided;
  into.cases_outside += from.cases_outside;
  into.stats.add(from.stats);
  into.seconds += from.seconds;
  for (const auto& [label, n] : from.shapes) into.shapes[label] += n;
  if (into.note.empty()) into.note = from.note;
  into.discrepancy_files.insert(into.discrepancy_files.end(), from.discrepancy_files.begin(), from.discrepancy_files.end());
}

void check_compatible(const Settings& a, const Settings& b) {
  TL_CHECK_USER(a.tier == b.tier && a.seed == b.seed && a.cases == b.cases && a.shards == b.shards &&
                    a.gradients == b.gradients && a.graphs == b.graphs && a.graph_files == b.graph_files &&
                    a.backends == b.backends &&
                    a.dtypes == b.dtypes,
                "reports to merge must come from one run split by --shard (same tier, seed, cases, shards, "
                "backends, dtypes, --no-grad, --graphs and --graph)");
}

}  // namespace

Report merge_reports(const std::vector<Report>& parts) {
  TL_CHECK_USER(!parts.empty(), "nothing to merge");
  Report out = parts[0];
  std::vector<bool> seen(static_cast<std::size_t>(parts[0].settings.shards), false);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Report& p = parts[i];
    check_compatible(out.settings, p.settings);
    TL_CHECK_USER(p.settings.shard >= 0 && p.settings.shard < p.settings.shards && !seen[static_cast<std::size_t>(p.settings.shard)],
                  "shard " + std::to_string(p.settings.shard) + "/" + std::to_string(p.settings.shards) +
                      " is given twice or out of range");
    seen[static_cast<std::size_t>(p.settings.shard)] = true;
    if (i == 0) continue;
    TL_CHECK_USER(p.rows.size() == out.rows.size(), "reports to merge have different row sets");
    for (std::size_t k = 0; k < p.rows.size(); ++k) {
      TL_CHECK_USER(row_key(p.rows[k]) == row_key(out.rows[k]), "reports to merge have different row sets");
      merge_row(out.rows[k], p.rows[k]);
    }
    out.graphs.insert(out.graphs.end(), p.graphs.begin(), p.graphs.end());
    out.seconds += p.seconds;
    out.cases_run += p.cases_run;
  }
  // One run's order: random graphs by dtype (the settings' order) and index, then the graph files by
  // index; a graph's rows stay in backend order (they come from one shard; the sort is stable).
  const std::vector<DType>& dtypes = out.settings.dtypes;
  auto graph_order = [&](const GraphRow& g) {
    auto d = static_cast<std::size_t>(std::find(dtypes.begin(), dtypes.end(), g.dtype) - dtypes.begin());
    return g.source.empty() ? std::tuple(0, d, g.index) : std::tuple(1, std::size_t{0}, g.index);
  };
  std::stable_sort(out.graphs.begin(), out.graphs.end(),
                   [&](const GraphRow& x, const GraphRow& y) { return graph_order(x) < graph_order(y); });
  int64_t missing = std::count(seen.begin(), seen.end(), false);
  out.settings.shard = 0;
  out.settings.shards = parts[0].settings.shards;
  if (missing > 0) out.settings.command += " [merged: " + std::to_string(missing) + " shard(s) missing]";
  for (Row& r : out.rows) {
    if (r.cases > 0 && r.note == kNoCasesInShard) r.note.clear();
  }
  return out;
}

}  // namespace tl::oracle
