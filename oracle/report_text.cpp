// Text helpers shared by the Markdown and HTML report writers: one copy of the number formats, the
// row grouping and the sentences both reports say the same way (see report_text.h).
#include "oracle/report_text.h"

#include <cmath>
#include <cstdio>
#include <map>

namespace tl::oracle::report_text {

const char* const kEmpiricalNote =
    "Empirical contracts (listed above) have no proof: a pass means only that no sampled case exceeded them.";

std::string integer_text(int64_t v) { return std::to_string(v); }

std::string count_text(int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

std::string number_g3(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::isnan(v)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string fixed_text(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string percent_text(int64_t part, int64_t whole) {
  if (whole <= 0) return kDash;
  if (part == whole) return "100";
  double p = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  if (p > 99.99) p = 99.99;
  return fixed_text(p, 2);
}

std::string rate_text(int64_t cases, double seconds) {
  if (seconds <= 0) return kDash;
  double rate = static_cast<double>(cases) / seconds;
  return rate >= 100 ? fixed_text(rate, 0) : number_g3(rate);
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out.empty() ? std::string("none") : out;
}

bool not_run(Verdict v) { return v == Verdict::skipped || v == Verdict::unsupported; }

std::string max_ulp_text(const Row& row) { return row.stats.elements > 0 ? number_g3(row.stats.max_ulp) : kDash; }

std::string utilisation_text(const Row& row) {
  return row.stats.elements > 0 ? number_g3(row.stats.max_utilisation) : kDash;
}

std::string cases_text(const Row& row) {
  std::vector<std::string> parts;
  if (row.cases_failed) parts.push_back(integer_text(row.cases_failed) + " failed");
  if (row.cases_undecided) parts.push_back(integer_text(row.cases_undecided) + " undecided");
  if (row.cases_outside)
    parts.push_back(integer_text(row.cases_outside) + " outside precondition, " +
                    number_g3(100.0 * static_cast<double>(row.cases_outside) / static_cast<double>(row.cases)) + "%");
  if (!row.shapes.empty()) parts.push_back(integer_text(static_cast<int64_t>(row.shapes.size())) + " shapes");
  std::string text = integer_text(row.cases);
  if (!parts.empty()) text += " (" + joined(parts) + ")";
  return text;
}

std::vector<RowGroup> group_rows(const std::vector<Row>& rows) {
  std::vector<RowGroup> groups;
  std::map<std::pair<std::string, DType>, size_t> index_of;
  for (const Row& row : rows) {
    auto key = std::make_pair(row.backend, row.dtype);
    auto [it, inserted] = index_of.emplace(key, groups.size());
    if (inserted) groups.push_back({key, {}});
    groups[it->second].second.push_back(&row);
  }
  return groups;
}

std::optional<std::string> collapsed_group_text(const std::vector<const Row*>& rows) {
  bool all_skipped = true, all_unsupported = true;
  for (const Row* row : rows) {
    if (!not_run(row->verdict) || row->note != rows.front()->note) return std::nullopt;
    all_skipped = all_skipped && row->verdict == Verdict::skipped;
    all_unsupported = all_unsupported && row->verdict == Verdict::unsupported;
  }
  const char* what = all_skipped ? "skipped" : all_unsupported ? "unsupported" : "skipped or unsupported";
  return "all " + std::to_string(rows.size()) + " rows " + what + ": " + rows.front()->note;
}

std::string run_settings_text(const Settings& s) {
  return "Tier " + std::string(tier_name(s.tier)) + ", seed " + std::to_string(s.seed) + ", " + integer_text(s.cases) +
         " cases per row, shard " + std::to_string(s.shard) + "/" + std::to_string(s.shards) + ", gradients " +
         (s.gradients ? "on" : "off") + ", " + integer_text(s.graphs) + " random graphs" +
         (s.graph_files.empty() ? std::string(".") : ", graph files " + joined(s.graph_files) + ".");
}

std::string backends_text(const Settings& s) {
  std::vector<std::string> dtypes;
  for (DType d : s.dtypes) dtypes.emplace_back(dtype_name(d));
  return "Backends: " + joined(s.backends) + "; dtypes: " + joined(dtypes) + ".";
}

std::string totals_text(const Report& r) {
  return "Total " + fixed_text(r.seconds, 1) + " s, " + integer_text(r.cases_run) + " cases (" +
         rate_text(r.cases_run, r.seconds) + " cases/s). How to read a row: *max ulp* is always the " +
         "distance to the real value (MPFI enclosure), in ulps of the dtype at that value; the *verdict* " +
         "applies the row's contract (a strict row compares bits with the strict IEEE meaning, so it can " +
         "pass with a large max ulp, e.g. where its declared formula overflows); *utilisation* is error / " +
         "budget; docs/oracle.md has the rules.";
}

std::string graph_label(const GraphRow& g) { return g.source.empty() ? integer_text(g.index) : g.source; }

std::string e2e_loss_text(const GraphRow& g) { return g.local == Verdict::fail ? kDash : number_g3(g.loss_ulp); }

std::string e2e_grad_text(const GraphRow& g) {
  return g.local == Verdict::fail || !g.gradients_checked ? kDash : number_g3(g.grad_max_ulp);
}

std::string suspicious_text(const GraphRow& g, const std::string& yes_word) {
  if (g.local == Verdict::fail) return kDash;  // a node failed: the end-to-end comparison did not run
  const std::string threshold = number_g3(g.suspicion_threshold);
  return g.suspicious ? yes_word + " (> " + threshold + ")" : "no (≤ " + threshold + ")";
}

std::string trust_checked_text(const Report& r) {
  int64_t random_rows = 0, file_rows = 0;
  for (const GraphRow& g : r.graphs) ++(g.source.empty() ? random_rows : file_rows);
  int64_t rows_checked = 0, cases_checked = 0;
  for (const Row& row : r.rows) {
    if (not_run(row.verdict)) continue;
    ++rows_checked;
    cases_checked += row.cases;
  }
  return "Checked: " + count_text(rows_checked, "row") + " with verdict pass, FAIL or undecided, " +
         count_text(cases_checked, "case") +
         (random_rows == 0 ? std::string() : ", " + count_text(random_rows, "random-graph row")) +
         (file_rows == 0 ? std::string() : ", " + count_text(file_rows, "graph-file row")) +
         ". Each backend value was compared elementwise against MPFI enclosures of the real value and against "
         "the strict IEEE meaning of its contract. Cases outside a contract's precondition (possible "
         "intermediate overflow for derived bounds, partial sums beyond the largest float for sum/dot bounds) "
         "are counted in the cases column and not judged. Assumed correct, not checked:";
}

}  // namespace tl::oracle::report_text
