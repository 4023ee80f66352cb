// report.json (tl.report.v1) and discrepancy records (tl.discrepancy.v1): writing and reading.
#include <cmath>
#include <nlohmann/json.hpp>

#include "oracle/report.h"
#include "spec/error.h"
#include "spec/json_io.h"
#include "spec/json_strict.h"

namespace tl::oracle {
namespace {

using json = nlohmann::ordered_json;

// JSON has no infinity: non-finite numbers are written as strings.
json number(double x) {
  if (std::isfinite(x)) return x;
  return std::isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf");
}
double read_number(const json& j) {
  if (j.is_number()) return j.get<double>();
  std::string s = j.get<std::string>();
  if (s == "inf") return INFINITY;
  if (s == "-inf") return -INFINITY;
  if (s == "nan") return NAN;
  throw UserError("expected a number, got '" + s + "'");
}

// A count (cases, elements, histogram bins): an integer from 0 to 2^50, so that the sums of up to
// kMaxShards (4096) merged shards cannot overflow. Anything else is a malformed report, named by its field.
int64_t count_from(const json& v, const std::string& field) {
  constexpr uint64_t kMaxCount = uint64_t{1} << 50;
  bool ok = v.is_number_unsigned() ? v.get<uint64_t>() <= kMaxCount : v.is_number_integer() && v.get<int64_t>() == 0;
  TL_CHECK_USER(ok, "field '" + field + "' must be a count (an integer from 0 to 2^50), got " + v.dump());
  return static_cast<int64_t>(v.get<uint64_t>());
}
int64_t count_at(const json& j, const char* key) { return count_from(j.at(key), key); }

// Runs `read` for element `what` of the report, naming it in any error.
template <class F> auto in_context(const std::string& what, F read) {
  try {
    return read();
  } catch (const json::exception& e) {
    throw UserError(what + ": " + e.what());
  } catch (const UserError& e) {
    throw UserError(what + ": " + e.what());
  }
}

json contract_json(const Contract& c) {
  return {{"text", contract_text(c)}, {"kind", contract_kind_name(c.kind)}, {"ulps", c.ulps},
          {"ulps_per_term", c.ulps_per_term}, {"magnitude_floor", c.magnitude_floor}, {"order", c.order},
          {"policy", c.policy}, {"evidence", evidence_name(c.evidence)}, {"evidence_detail", c.evidence_detail}};
}

template <class E, std::size_t N>
E enum_from(const std::string& name, std::string_view (*namer)(E), const E (&all)[N], const char* what) {
  for (E e : all) {
    if (namer(e) == name) return e;
  }
  throw UserError(std::string("unknown ") + what + " '" + name + "'");
}

constexpr ContractKind kKinds[] = {ContractKind::exact, ContractKind::correctly_rounded, ContractKind::strict,
                                   ContractKind::ulp, ContractKind::sum_bound, ContractKind::dot_bound,
                                   ContractKind::derived, ContractKind::empirical, ContractKind::unsupported};
constexpr Evidence kEvidence[] = {Evidence::proved, Evidence::exhaustive, Evidence::sampled, Evidence::assumed,
                                  Evidence::none};
constexpr Verdict kVerdicts[] = {Verdict::pass, Verdict::fail, Verdict::unsupported, Verdict::skipped,
                                 Verdict::undecided};

Contract contract_from(const json& j) {
  Contract c;
  c.kind = enum_from(j.at("kind").get<std::string>(), contract_kind_name, kKinds, "contract kind");
  c.ulps = j.at("ulps").get<double>();
  c.ulps_per_term = j.at("ulps_per_term").get<double>();
  c.magnitude_floor = j.at("magnitude_floor").get<double>();
  c.order = j.at("order").get<std::string>();
  c.policy = j.at("policy").get<std::string>();
  c.evidence = enum_from(j.at("evidence").get<std::string>(), evidence_name, kEvidence, "evidence");
  c.evidence_detail = j.at("evidence_detail").get<std::string>();
  return c;
}

json row_json(const Row& r) {
  return {{"backend", r.backend}, {"dtype", dtype_name(r.dtype)}, {"op", op_name(r.op)}, {"direction", direction_text(r.direction)},
          {"cases", r.cases}, {"max_ulp", number(r.stats.max_ulp)}, {"contract", contract_text(r.contract)},
          {"verdict", verdict_name(r.verdict)}, {"contract_detail", contract_json(r.contract)}, {"note", r.note},
          {"cases_failed", r.cases_failed}, {"cases_undecided", r.cases_undecided}, {"cases_outside_precondition", r.cases_outside}, {"elements", r.stats.elements},
          {"correctly_rounded", r.stats.correctly_rounded}, {"strict_bits", r.stats.strict_bits},
          {"max_utilisation", number(r.stats.max_utilisation)}, {"worst", r.stats.worst}, {"histogram", r.stats.hist},
          {"seconds", r.seconds}, {"discrepancies", r.discrepancy_files}, {"shapes", r.shapes}};
}

Row row_from(const json& j) {
  Row r;
  r.backend = j.at("backend").get<std::string>();
  r.dtype = parse_dtype(j.at("dtype").get<std::string>(), "field 'dtype'");
  std::optional<OpId> op = op_from_name(j.at("op").get<std::string>());
  TL_CHECK_USER(op.has_value(), "field 'op': unknown op '" + j.at("op").get<std::string>() + "'");
  r.op = *op;
  r.direction = parse_direction(j.at("direction").get<std::string>(), "field 'direction'");
  r.cases = count_at(j, "cases");
  r.stats.max_ulp = read_number(j.at("max_ulp"));
  r.contract = contract_from(j.at("contract_detail"));
  r.verdict = enum_from(j.at("verdict").get<std::string>(), verdict_name, kVerdicts, "verdict");
  r.note = j.at("note").get<std::string>();
  r.cases_failed = count_at(j, "cases_failed");
  r.cases_undecided = count_at(j, "cases_undecided");
  r.cases_outside = count_at(j, "cases_outside_precondition");
  r.stats.elements = count_at(j, "elements");
  r.stats.correctly_rounded = count_at(j, "correctly_rounded");
  r.stats.strict_bits = count_at(j, "strict_bits");
  r.stats.max_utilisation = read_number(j.at("max_utilisation"));
  r.stats.worst = j.at("worst").get<std::string>();
  const json& hist = j.at("histogram");
  TL_CHECK_USER(hist.is_array() && hist.size() == kHistBins, "field 'histogram' must be an array of " + std::to_string(kHistBins) + " counts");
  for (std::size_t b = 0; b < kHistBins; ++b) r.stats.hist[b] = count_from(hist[b], "histogram");
  r.seconds = j.at("seconds").get<double>();
  r.discrepancy_files = j.at("discrepancies").get<std::vector<std::string>>();
  if (j.contains("shapes")) {  // absent from reports written before the case lists
    const json& shapes = j.at("shapes");
    TL_CHECK_USER(shapes.is_object(), "field 'shapes' must be an object of case counts");
    for (const auto& [label, n] : shapes.items()) r.shapes[label] = count_from(n, "shapes");
  }
  return r;
}

json graph_json(const GraphRow& g) {
  return {{"backend", g.backend}, {"dtype", dtype_name(g.dtype)}, {"index", g.index}, {"seed", g.seed}, {"source", g.source}, {"inputs", g.inputs},
          {"nodes_checked", g.nodes_checked}, {"vjps_checked", g.vjps_checked}, {"verdict", verdict_name(g.local)}, {"first_bad_node", g.first_bad_node},
          {"loss_ulp", number(g.loss_ulp)}, {"grad_max_ulp", number(g.grad_max_ulp)}, {"gradients_checked", g.gradients_checked},
          {"suspicion_threshold", g.suspicion_threshold}, {"suspicious", g.suspicious},
          {"discrepancy", g.discrepancy_file}, {"discrepancy_is_graph", g.discrepancy_is_graph}};
}

GraphRow graph_from(const json& j) {
  GraphRow g;
  g.backend = j.at("backend").get<std::string>();
  g.dtype = parse_dtype(j.at("dtype").get<std::string>(), "field 'dtype'");
  g.index = count_at(j, "index");
  g.seed = j.at("seed").get<uint64_t>();
  g.source = j.value("source", std::string());  // absent in reports written before graph files
  g.inputs = j.value("inputs", std::string());
  g.nodes_checked = count_at(j, "nodes_checked");
  g.vjps_checked = j.contains("vjps_checked") ? count_at(j, "vjps_checked") : 0;  // absent before node VJP checks
  g.local = enum_from(j.at("verdict").get<std::string>(), verdict_name, kVerdicts, "verdict");
  g.first_bad_node = j.at("first_bad_node").get<std::string>();
  g.loss_ulp = read_number(j.at("loss_ulp"));
  g.grad_max_ulp = read_number(j.at("grad_max_ulp"));
  g.gradients_checked = j.value("gradients_checked", true);  // reports before graph files always checked them
  g.suspicion_threshold = j.at("suspicion_threshold").get<double>();
  g.suspicious = j.at("suspicious").get<bool>();
  g.discrepancy_file = j.at("discrepancy").get<std::string>();
  g.discrepancy_is_graph = j.value("discrepancy_is_graph", false);  // absent before accumulation checks
  return g;
}

std::vector<std::string> dtype_names(const std::vector<DType>& ds) {
  std::vector<std::string> out;
  for (DType d : ds) out.emplace_back(dtype_name(d));
  return out;
}

json settings_json(const Settings& s) {
  return {{"command", s.command}, {"tier", tier_name(s.tier)}, {"seed", s.seed}, {"cases", s.cases}, {"shard", s.shard},
          {"shards", s.shards}, {"gradients", s.gradients}, {"graphs", s.graphs}, {"graph_files", s.graph_files}, {"backends", s.backends},
          {"dtypes", dtype_names(s.dtypes)}, {"unavailable", s.unavailable}};
}

Settings settings_from(const json& j) {
  Settings s;
  s.command = j.at("command").get<std::string>();
  s.tier = parse_tier(j.at("tier").get<std::string>(), "settings: field 'tier'");
  s.seed = j.at("seed").get<uint64_t>();
  s.cases = count_at(j, "cases");
  s.shards = static_cast<int>(count_at(j, "shards"));
  s.shard = static_cast<int>(count_at(j, "shard"));
  TL_CHECK_USER(s.shards >= 1 && s.shards <= kMaxShards && s.shard < s.shards,
                "settings: shard " + std::to_string(s.shard) + " of " + std::to_string(s.shards) +
                    " (need 0 <= shard < shards <= " + std::to_string(kMaxShards) + ")");
  s.gradients = j.at("gradients").get<bool>();
  s.graphs = count_at(j, "graphs");
  s.graph_files = j.value("graph_files", std::vector<std::string>());
  s.backends = j.at("backends").get<std::vector<std::string>>();
  for (const std::string& d : j.at("dtypes").get<std::vector<std::string>>())
    s.dtypes.push_back(parse_dtype(d, "settings: field 'dtypes'"));
  s.unavailable = j.at("unavailable").get<std::map<std::string, std::string>>();
  return s;
}

json tensor_json(const HostTensor& t) {
  json hex = json::array();
  for (int64_t i = 0; i < t.numel(); ++i) hex.push_back(hex_float(t.value_as_double(i)));
  return {{"shape", t.shape().dims()}, {"hex", hex}};
}

}  // namespace

std::string report_json(const Report& r) {
  Summary s = summarize(r);
  json j;
  j["format"] = "tl.report.v1";
  j["settings"] = settings_json(r.settings);
  j["summary"] = {{"pass", s.pass}, {"fail", s.fail}, {"unsupported", s.unsupported}, {"skipped", s.skipped},
                  {"undecided", s.undecided}, {"seconds", r.seconds}, {"cases_run", r.cases_run},
                  {"cases_per_second", r.seconds > 0 ? static_cast<double>(r.cases_run) / r.seconds : 0.0}};
  j["rows"] = json::array();
  for (const Row& row : r.rows) j["rows"].push_back(row_json(row));
  j["graphs"] = json::array();
  for (const GraphRow& g : r.graphs) j["graphs"].push_back(graph_json(g));
  json assumed = json::array();
  for (const auto& [k, v] : r.trust.assumed) assumed.push_back({{"component", k}, {"version", v}});
  j["trust"] = {{"assumed", assumed}, {"empirical", r.trust.empirical},
                {"checked", "every backend value against MPFI enclosures of the real value and the strict IEEE meaning"}};
  return j.dump(1) + "\n";
}

Report parse_report_json(const std::string& text, const std::string& where) {
  try {
    json j = parse_json_strict(text, where);
    if (j.at("format") != "tl.report.v1") throw UserError(where + ": not a tl.report.v1 file");
    Report r;
    r.settings = settings_from(j.at("settings"));
    const json& rows = j.at("rows");
    for (std::size_t i = 0; i < rows.size(); ++i)
      r.rows.push_back(in_context("rows[" + std::to_string(i) + "]", [&] { return row_from(rows[i]); }));
    const json& graphs = j.at("graphs");
    for (std::size_t i = 0; i < graphs.size(); ++i)
      r.graphs.push_back(in_context("graphs[" + std::to_string(i) + "]", [&] { return graph_from(graphs[i]); }));
    for (const json& a : j.at("trust").at("assumed")) r.trust.assumed.emplace_back(a.at("component"), a.at("version"));
    r.trust.empirical = j.at("trust").at("empirical").get<std::vector<std::string>>();
    r.seconds = j.at("summary").at("seconds").get<double>();
    r.cases_run = count_at(j.at("summary"), "cases_run");
    return r;
  } catch (const json::exception& e) {
    throw UserError(where + ": malformed report: " + e.what());
  } catch (const UserError& e) {
    std::string why = e.what();
    throw UserError(why.rfind(where, 0) == 0 ? why : where + ": malformed report: " + why);
  }
}

std::string discrepancy_json(const Discrepancy& d, const std::string& replay) {
  const Node& node = d.op_case.graph.node(d.op_case.graph.outputs.at(0).node);
  json j;
  j["format"] = "tl.discrepancy.v1";
  j["backend"] = d.backend;
  j["op"] = op_name(node.op);
  j["dtype"] = dtype_name(node.dtype);
  j["direction"] = direction_text(d.direction);
  j["verdict"] = verdict_name(d.verdict);
  j["why"] = d.why;
  j["element"] = d.element;
  j["backend_value"] = hex_float(d.value);
  j["real_enclosure"] = d.enclosure;
  j["strict_value"] = d.strict ? json(hex_float(*d.strict)) : json(nullptr);
  j["ulp_error"] = number(d.ulp);
  j["contract"] = contract_json(d.contract);
  j["case_seed"] = d.case_seed;
  j["value_kind"] = d.value_kind;
  j["shrunk"] = d.shrunk;
  j["replay"] = replay;
  j["graph"] = json::parse(graph_to_json(d.op_case.graph));
  j["inputs"] = json::object();
  for (const auto& [name, t] : d.op_case.inputs) j["inputs"][name] = tensor_json(t);
  j["upstream_gradient"] = d.seed ? tensor_json(*d.seed) : json(nullptr);
  return j.dump(1) + "\n";
}

}  // namespace tl::oracle
