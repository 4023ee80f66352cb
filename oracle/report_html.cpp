// The agreement report as one self-contained HTML5 page (DESIGN §9): the same sections as the
// Markdown report, rows coloured by verdict and an inline SVG histogram of each row's ULP errors.
// No external resources and no JavaScript, so the file can be archived or mailed as it is.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "oracle/report.h"
#include "oracle/report_text.h"

namespace tl::oracle {
namespace {

using namespace report_text;

constexpr int kHistWidth = 240, kHistHeight = 40;

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;  // a char, not an enum
    }
  }
  return out;
}

// The CSS class of a verdict: its name in lower case ("pass", "fail", "undecided", ...).
std::string verdict_class(Verdict v) {
  std::string name(verdict_name(v));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string td(const std::string& text) { return "<td>" + html_escape(text) + "</td>"; }
std::string td_number(const std::string& text) { return "<td class=\"num\">" + html_escape(text) + "</td>"; }
std::string td_verdict(Verdict v) {
  return "<td class=\"verdict\">" + html_escape(std::string(verdict_name(v))) + "</td>";
}
std::string link(const std::string& path) {
  return "<a href=\"" + html_escape(path) + "\">" + html_escape(path) + "</a>";
}

const char* const kStyle = R"(<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1, h2 { font-weight: 600; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: middle; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.pass td { background: #e8f5e9; }
tr.fail td { background: #fde2e1; }
tr.fail td.verdict { font-weight: bold; color: #a00000; }
tr.undecided td { background: #fff3d6; }
tr.skipped td, tr.unsupported td { background: #efefef; color: #666; }
p.collapsed { background: #efefef; color: #555; padding: 0.4em 0.6em; }
pre { background: #f6f8fa; padding: 0.5em 0.8em; }
svg.hist rect.bar { fill: #3f6fb5; }
svg.hist line { stroke: #999; stroke-width: 1; }
</style>
)";

// Bars of log10(1 + count), scaled so the tallest bin fills the height; each bin has a hover title.
std::string histogram_svg(const Row& row) {
  double tallest = 0;
  for (int64_t count : row.stats.hist) tallest = std::max(tallest, std::log10(1.0 + static_cast<double>(count)));
  const double pitch = static_cast<double>(kHistWidth) / kHistBins;
  const double usable = kHistHeight - 2;
  std::string svg = "<svg class=\"hist\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kHistWidth) +
                    "\" height=\"" + std::to_string(kHistHeight) + "\" role=\"img\" aria-label=\"ULP histogram\">";
  for (int bin = 0; bin < kHistBins; ++bin) {
    const int64_t count = row.stats.hist[static_cast<size_t>(bin)];
    const double scaled = tallest > 0 ? std::log10(1.0 + static_cast<double>(count)) / tallest : 0;
    const double height = usable * scaled, x = pitch * bin;
    svg += "<g><title>" + html_escape(hist_bin_label(bin)) + ": " + integer_text(count) + "</title>";
    svg += "<rect x=\"" + fixed_text(x, 1) + "\" y=\"0\" width=\"" + fixed_text(pitch, 1) + "\" height=\"" +
           std::to_string(kHistHeight) + "\" fill=\"transparent\"/>";
    svg += "<rect class=\"bar\" x=\"" + fixed_text(x + 0.5, 1) + "\" y=\"" + fixed_text(usable - height, 1) +
           "\" width=\"" + fixed_text(pitch - 1, 1) + "\" height=\"" + fixed_text(height, 1) + "\"/></g>";
  }
  svg += "<line x1=\"0\" y1=\"" + fixed_text(usable + 0.5, 1) + "\" x2=\"" + std::to_string(kHistWidth) + "\" y2=\"" +
         fixed_text(usable + 0.5, 1) + "\"/></svg>";
  return svg;
}

void append_settings(std::string& out, const Report& r) {
  out += "<p>Command: <code>" + html_escape(r.settings.command) + "</code><br>\n";
  out += html_escape(run_settings_text(r.settings)) + "<br>\n";
  out += html_escape(backends_text(r.settings)) + "<br>\n";
  out += html_escape(totals_text(r)) + "</p>\n";
  out += "<pre>" + html_escape(summary_line(summarize(r))) + "</pre>\n";
}

void append_unavailable(std::string& out, const Settings& s) {
  if (s.unavailable.empty()) return;
  out += "<h2>Backends not run</h2>\n<ul>\n";
  for (const auto& [backend, reason] : s.unavailable) {
    out += "<li>" + html_escape(backend) + ": " + html_escape(reason) + "</li>\n";
  }
  out += "</ul>\n";
}

std::string last_cell(const Row& row) {
  std::string html = html_escape(row.verdict == Verdict::pass ? row.stats.worst : row.note);
  for (const std::string& file : row.discrepancy_files) html += (html.empty() ? "" : "<br>") + link(file);
  return "<td>" + html + "</td>";
}

void append_row(std::string& out, const Row& row) {
  out += "<tr class=\"" + verdict_class(row.verdict) + "\">" + td(std::string(op_name(row.op))) + td(direction_text(row.direction)) +
         td(contract_text(row.contract)) + td_number(cases_text(row)) +
         td_number(percent_text(row.stats.correctly_rounded, row.stats.elements)) +
         td_number(percent_text(row.stats.strict_bits, row.stats.elements)) + td_number(max_ulp_text(row)) +
         td_number(utilisation_text(row)) + td_verdict(row.verdict) + last_cell(row) + "<td>" +
         (row.stats.elements > 0 ? histogram_svg(row) : std::string()) + "</td></tr>\n";
}

void append_row_sections(std::string& out, const std::vector<Row>& rows) {
  for (const auto& [key, group] : group_rows(rows)) {
    out += "<h2>" + html_escape(key.first) + " · " + html_escape(std::string(dtype_name(key.second))) + "</h2>\n";
    if (auto collapsed = collapsed_group_text(group)) {
      out += "<p class=\"collapsed\">" + html_escape(*collapsed) + "</p>\n";
      continue;
    }
    out += "<table>\n<tr><th>op</th><th>direction</th><th>contract</th><th>cases</th><th>% correctly rounded</th>"
           "<th>% bit-exact vs strict</th><th>max ulp</th><th>utilisation</th><th>verdict</th>"
           "<th>worst / note</th><th>ULP histogram</th></tr>\n";
    for (const Row* row : group) append_row(out, *row);
    out += "</table>\n";
  }
}

void append_graph_row(std::string& out, const GraphRow& g) {
  std::string first_bad = html_escape(g.first_bad_node.empty() ? std::string(kDash) : g.first_bad_node);
  if (!g.discrepancy_file.empty()) first_bad += " " + link(g.discrepancy_file);
  out += "<tr class=\"" + verdict_class(g.local) + "\">" + td(g.backend) + td(std::string(dtype_name(g.dtype))) +
         (g.source.empty() ? td_number(integer_text(g.index)) : td(g.source)) + td_number(std::to_string(g.seed)) +
         td_number(integer_text(g.nodes_checked) + " / " + integer_text(g.vjps_checked)) + td_verdict(g.local) + "<td>" + first_bad + "</td>" +
         td_number(e2e_loss_text(g)) + td_number(e2e_grad_text(g)) + td(suspicious_text(g)) +
         "</tr>\n";
}

void append_graphs(std::string& out, const std::vector<GraphRow>& graphs) {
  if (graphs.empty()) return;
  out += "<h2>Graphs</h2>\n<table>\n<tr><th>backend</th><th>dtype</th><th>graph</th><th>seed</th>"
         "<th>nodes / VJPs checked</th><th>local verdict</th><th>first bad node</th><th>loss ulp (e2e)</th>"
         "<th>max grad ulp (e2e)</th><th>suspicious (&gt; threshold)</th></tr>\n";
  for (const GraphRow& g : graphs) append_graph_row(out, g);
  out += "</table>\n";
}

void append_empirical(std::string& out, const Trust& trust) {
  out += "<h2>Contracts with no proof</h2>\n";
  if (trust.empirical.empty()) {
    out += "<p>none</p>\n";
    return;
  }
  out += "<ul>\n";
  for (const std::string& e : trust.empirical) out += "<li>" + html_escape(e) + "</li>\n";
  out += "</ul>\n";
}

void append_trust_boundary(std::string& out, const Report& r) {
  out += "<h2>Trust boundary</h2>\n<p>" + html_escape(trust_checked_text(r)) + "</p>\n";
  out += "<table>\n<tr><th>component</th><th>version or setting</th></tr>\n";
  for (const auto& [component, version] : r.trust.assumed) out += "<tr>" + td(component) + td(version) + "</tr>\n";
  out += "</table>\n<p>" + html_escape(kEmpiricalNote) + "</p>\n";
}

}  // namespace

std::string report_html(const Report& r) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<title>TorchLean agreement report</title>\n";
  out += kStyle;
  out += "</head>\n<body>\n<h1>TorchLean agreement report</h1>\n";
  append_settings(out, r);
  append_unavailable(out, r.settings);
  append_row_sections(out, r.rows);
  append_graphs(out, r.graphs);
  append_empirical(out, r.trust);
  append_trust_boundary(out, r);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace tl::oracle
