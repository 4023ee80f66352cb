// Text helpers shared by the Markdown and HTML report writers (report_md.cpp, report_html.cpp):
// number formatting, row grouping and the sentences both reports say the same way. Results are
// plain text; each writer escapes or marks them up for its format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "oracle/report.h"

namespace tl::oracle::report_text {

inline constexpr char kDash[] = "–";  // an empty or unmeasured cell

std::string integer_text(int64_t v);
std::string count_text(int64_t n, const std::string& noun);  // "1 row", "3 rows"
std::string number_g3(double v);                             // %.3g, "inf"/"nan" spelled out
std::string fixed_text(double v, int decimals);
// part/whole as a percentage; "100" only when every element counts, never rounded up to it.
std::string percent_text(int64_t part, int64_t whole);
std::string rate_text(int64_t cases, double seconds);  // cases per second; kDash without time
// Items separated by separator; "none" when empty.
std::string joined(const std::vector<std::string>& items, const char* separator = ", ");
bool not_run(Verdict v);  // skipped or unsupported

// A row's numeric cells: kDash when the row measured no elements.
std::string max_ulp_text(const Row& row);
std::string utilisation_text(const Row& row);
// "60", or "60 (2 failed, 1 undecided, 23 outside precondition)" naming only the non-zero counts.
std::string cases_text(const Row& row);

// Rows grouped by (backend, dtype), groups in order of first appearance.
using RowGroup = std::pair<std::pair<std::string, DType>, std::vector<const Row*>>;
std::vector<RowGroup> group_rows(const std::vector<Row>& rows);
// "all N rows skipped: note" when every row of a group was not run for the same reason.
std::optional<std::string> collapsed_group_text(const std::vector<const Row*>& rows);

// The settings paragraph's lines, without markup or line ends.
std::string run_settings_text(const Settings& s);  // "Tier …, seed …, … graphs."
std::string backends_text(const Settings& s);      // "Backends: …; dtypes: …."
std::string totals_text(const Report& r);          // "Total … s, … cases (… cases/s)."

// "yes (> t)" or "no (≤ t)"; yes_word lets a writer emphasise the yes.
// A graph row's end-to-end cells; kDash where a node failed (the comparison did not run).
std::string e2e_loss_text(const GraphRow& g);
std::string e2e_grad_text(const GraphRow& g);
std::string suspicious_text(const GraphRow& g, const std::string& yes_word = "yes");
// The graph column: a random graph's index, or the user's graph file.
std::string graph_label(const GraphRow& g);

// The trust boundary's opening paragraph, ending "Assumed correct, not checked:".
std::string trust_checked_text(const Report& r);
// The closing note on empirical contracts.
extern const char* const kEmpiricalNote;

}  // namespace tl::oracle::report_text
