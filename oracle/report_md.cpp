// The agreement report as Markdown (DESIGN §9): settings, summary, one table per backend × dtype,
// the graph checks, the contracts with no proof and the trust boundary. Meant for humans and for
// pasting into reviews; report.json stays the machine format.
#include <string>
#include <vector>

#include "oracle/report.h"
#include "oracle/report_text.h"

namespace tl::oracle {
namespace {

using namespace report_text;

// A table cell: '|' escaped, line breaks flattened.
std::string cell_text(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string verdict_text(Verdict v) {
  std::string name(verdict_name(v));
  return v == Verdict::fail ? "**" + name + "**" : name;
}

void append_settings(std::string& out, const Report& r) {
  out += "Command: `" + r.settings.command + "`  \n";
  out += run_settings_text(r.settings) + "  \n";
  out += backends_text(r.settings) + "  \n";
  out += totals_text(r) + "\n\n";
  out += "```\n" + summary_line(summarize(r)) + "\n```\n\n";
}

void append_unavailable(std::string& out, const Settings& s) {
  if (s.unavailable.empty()) return;
  out += "## Backends not run\n\n";
  for (const auto& [backend, reason] : s.unavailable) out += "- " + backend + ": " + reason + "\n";
  out += "\n";
}

std::string last_cell(const Row& row) {
  std::string text = cell_text(row.verdict == Verdict::pass ? row.stats.worst : row.note);
  for (const std::string& file : row.discrepancy_files) {
    if (!text.empty()) text += "<br>";
    text += "[" + cell_text(file) + "](" + cell_text(file) + ")";
  }
  return text;
}

void append_row(std::string& out, const Row& row) {
  out += "| " + cell_text(std::string(op_name(row.op))) + " | " + cell_text(direction_text(row.direction)) + " | " + cell_text(contract_text(row.contract)) +
         " | " + cases_text(row) + " | " + percent_text(row.stats.correctly_rounded, row.stats.elements) + " | " +
         percent_text(row.stats.strict_bits, row.stats.elements) + " | " + max_ulp_text(row) + " | " + utilisation_text(row) +
         " | " + verdict_text(row.verdict) + " | " + last_cell(row) + " |\n";
}

void append_row_sections(std::string& out, const std::vector<Row>& rows) {
  for (const auto& [key, group] : group_rows(rows)) {
    out += "## " + key.first + " · " + std::string(dtype_name(key.second)) + "\n\n";
    if (auto collapsed = collapsed_group_text(group)) {
      out += *collapsed + "\n\n";
      continue;
    }
    out += "| op | direction | contract | cases | % correctly rounded | % bit-exact vs strict | max ulp | "
           "utilisation | verdict | worst / note |\n";
    out += "|---|---|---|---:|---:|---:|---:|---:|---|---|\n";
    for (const Row* row : group) append_row(out, *row);
    out += "\n";
  }
}

void append_graph_row(std::string& out, const GraphRow& g) {
  std::string first_bad = cell_text(g.first_bad_node.empty() ? std::string(kDash) : g.first_bad_node);
  if (!g.discrepancy_file.empty()) {
    first_bad += " [" + cell_text(g.discrepancy_file) + "](" + cell_text(g.discrepancy_file) + ")";
  }
  out += "| " + cell_text(g.backend) + " | " + cell_text(std::string(dtype_name(g.dtype))) + " | " + cell_text(graph_label(g)) + " | " +
         std::to_string(g.seed) + " | " + integer_text(g.nodes_checked) + " / " + integer_text(g.vjps_checked) + " | " + verdict_text(g.local) + " | " +
         first_bad + " | " + e2e_loss_text(g) + " | " + e2e_grad_text(g) + " | " +
         suspicious_text(g, "**yes**") + " |\n";
}

void append_graphs(std::string& out, const std::vector<GraphRow>& graphs) {
  if (graphs.empty()) return;
  out += "## Graphs\n\n";
  out += "| backend | dtype | graph | seed | nodes / VJPs checked | local verdict | first bad node | loss ulp (e2e) | "
         "max grad ulp (e2e) | suspicious (> threshold) |\n";
  out += "|---|---|---:|---:|---:|---|---|---:|---:|---|\n";
  for (const GraphRow& g : graphs) append_graph_row(out, g);
  out += "\n";
}

void append_empirical(std::string& out, const Trust& trust) {
  out += "## Contracts with no proof\n\n";
  if (trust.empirical.empty()) out += "none\n";
  for (const std::string& e : trust.empirical) out += "- " + e + "\n";
  out += "\n";
}

void append_trust_boundary(std::string& out, const Report& r) {
  out += "## Trust boundary\n\n" + trust_checked_text(r) + "\n\n";
  out += "| component | version or setting |\n|---|---|\n";
  for (const auto& [component, version] : r.trust.assumed) {
    out += "| " + cell_text(component) + " | " + cell_text(version) + " |\n";
  }
  out += "\n" + std::string(kEmpiricalNote) + "\n";
}

}  // namespace

std::string report_markdown(const Report& r) {
  std::string out = "# TorchLean agreement report\n\n";
  append_settings(out, r);
  append_unavailable(out, r.settings);
  append_row_sections(out, r.rows);
  append_graphs(out, r.graphs);
  append_empirical(out, r.trust);
  append_trust_boundary(out, r);
  return out;
}

}  // namespace tl::oracle
