// The tl-check program: reports and exit statuses (0 pass, 1 a contract failed, 2 usage or input
// error, 3 backend unavailable), shards that merge into the same report as one run, replays, random
// graphs and users' graph files (--graph, --inputs).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../common/run_command.h"
#include "../common/cuda_status.h"
#include "spec/npy.h"

namespace {

namespace fs = std::filesystem;
using tl::testing::CommandResult;
using json = nlohmann::json;

std::string scratch(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("tl_check_test_" + std::to_string(getpid())) / name;
  fs::remove_all(p);
  return p.string();
}

CommandResult tl_check(const std::string& args) { return tl::testing::run_command(std::string(TL_CHECK_BIN) + " " + args); }

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

TEST(TlCheck, SmokeTierPassesOnTheCpuBackendsAndEndsWithTheSummaryLine) {
  std::string out = scratch("smoke");
  CommandResult r = tl_check("--tier smoke --backend eager,compiled --dtype all --quiet --out " + out);
  EXPECT_EQ(r.status, 0) << r.output;
  std::string last = r.output.substr(r.output.rfind("summary "));
  EXPECT_EQ(last.find("fail=0"), last.find("fail="));
  EXPECT_TRUE(fs::exists(out + "/report.md") && fs::exists(out + "/report.html"));
  json j = read_json(out + "/report.json");
  for (const char* key : {"op", "dtype", "backend", "direction", "cases", "max_ulp", "contract", "verdict"}) {
    EXPECT_TRUE(j["rows"][0].contains(key)) << key;
  }
  EXPECT_TRUE(j.contains("summary") && j.contains("trust"));
}

TEST(TlCheck, ReportEndsWithTheTrustBoundary) {
  std::string out = scratch("trust");
  ASSERT_EQ(tl_check("--ops add --cases 2 --backend eager --quiet --out " + out).status, 0);
  std::ifstream in(out + "/report.md");
  std::string md((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t trust = md.rfind("## Trust boundary");
  ASSERT_NE(trust, std::string::npos);
  EXPECT_EQ(md.find("\n## ", trust + 1), std::string::npos) << "the trust boundary is the last section";
  EXPECT_NE(md.find("MPFR", trust), std::string::npos);
}

TEST(TlCheck, HtmlReportIsSelfContainedWithHistogramsAndEndsWithTheTrustBoundary) {
  std::string out = scratch("html");
  ASSERT_EQ(tl_check("--ops exp,add --cases 4 --backend eager --quiet --out " + out).status, 0);
  std::ifstream in(out + "/report.html");
  std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<svg"), std::string::npos) << "ULP histograms as inline SVG";
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos) << "no external resources";
  EXPECT_EQ(html.find("href=\"http"), std::string::npos) << "no external resources";
  std::size_t trust = html.rfind("Trust boundary");
  ASSERT_NE(trust, std::string::npos);
  EXPECT_EQ(html.find("<h2", trust), std::string::npos) << "the trust boundary is the last section";
  EXPECT_NE(html.rfind("</html>"), std::string::npos);
}

TEST(TlCheck, ShardsMergeIntoTheSameRowsAsOneRun) {
  std::string whole = scratch("whole"), a = scratch("shard0"), b = scratch("shard1"), merged = scratch("merged");
  std::string files;
  for (const char* f : {"mlp_2_8_1_mse", "softmax_classifier_ce", "tiny_convnet"})
    files += std::string("--graph ") + TL_SOURCE_DIR + "/examples/graphs/" + f + ".json ";
  std::string common = "--ops add,exp,matmul,softmax,layer_norm --cases 12 --backend eager,compiled --quiet --seed 7 "
                       "--graphs 3 " + files;
  ASSERT_EQ(tl_check(common + "--out " + whole).status, 0);
  ASSERT_EQ(tl_check(common + "--shard 0/2 --out " + a).status, 0);
  ASSERT_EQ(tl_check(common + "--shard 1/2 --out " + b).status, 0);
  CommandResult m = tl_check("merge " + a + " " + b + " --out " + merged);
  ASSERT_EQ(m.status, 0) << m.output;
  json w = read_json(whole + "/report.json"), g = read_json(merged + "/report.json");
  ASSERT_EQ(w["rows"].size(), g["rows"].size());
  for (std::size_t i = 0; i < w["rows"].size(); ++i) {
    for (const char* key : {"op", "direction", "cases", "max_ulp", "verdict", "histogram", "elements", "strict_bits",
                            "correctly_rounded", "cases_failed", "cases_undecided", "cases_outside_precondition",
                            "max_utilisation"}) {
      EXPECT_EQ(w["rows"][i][key], g["rows"][i][key]) << w["rows"][i]["op"] << " " << key;
    }
  }
  ASSERT_EQ(w.at("graphs").size(), 2u * (3 * 2 + 3));  // backends x (3 random graphs x 2 dtypes + 3 files)
  EXPECT_EQ(w.at("graphs"), g.at("graphs")) << "the merged graph rows are one run's, in its order";
}

TEST(TlCheck, BadFlagsUnknownOpsAndBadFilesExitWith2AndSayWhy) {
  struct Case { std::string args, message; };
  std::string out = scratch("bad");
  fs::create_directories(out);
  std::ofstream(out + "/not_json.json") << "{ this is not json";
  std::ofstream(out + "/wrong_format.json") << R"({"format": "something else"})";
  std::ofstream(out + "/twice.json") << R"({"format": "tl.discrepancy.v1", "backend": "eager", "backend": "compiled"})";
  fs::create_directories(out + "/report_twice");
  std::ofstream(out + "/report_twice/report.json") << R"({"format": "tl.report.v1", "format": "tl.report.v1"})";
  fs::create_directories(out + "/records_a_file");
  std::ofstream(out + "/records_a_file/discrepancies") << "not a folder";
  const Case cases[] = {
      {"--no-such-flag", "no-such-flag"},
      {"--ops relu6", "unknown op 'relu6'"},
      {"--backend gpu", "unknown backend 'gpu'"},
      {"--dtype float16", "float16"},
      {"--tier huge", "--tier"},
      {"--shard 3/2", "--shard"},
      {"--shard x", "--shard"},
      {"--cases 0", "--cases: must be at least 1, got 0"},
      {"--graphs -1", "--graphs: must be at least 0, got -1"},
      {"--replay " + out + "/missing.json", "missing.json"},
      {"--replay " + out + "/not_json.json", "malformed"},
      {"--replay " + out + "/wrong_format.json", "not a tl.discrepancy.v1 record"},
      {"--replay " + out + "/twice.json", "the key \"backend\" appears twice in one object"},
      {"merge " + out + "/report_twice --out " + out + "/merged", "the key \"format\" appears twice in one object"},
      {"merge " + out, "report.json"},
      {"--ops relu --out " + out + "/not_json.json", "exists and is not a directory"},
      {"--ops relu,,exp", "--ops: an empty item in 'relu,,exp'"},
      {"--ops relu --out " + out + "/records_a_file", "discrepancies' exists and is not a directory"},
      {"--shard 0/5000", "--shard: need 0 <= K < N <= 4096"},
      {"--backend eager,eager", "--backend: 'eager' is given twice"},
      {"--dtype float,float64", "names a dtype twice"},
      {"--ops ''", "--ops: must not be empty"},
      {"--list-ops --ops foo", "--ops excludes --list-ops"},
      {"--replay " + out + "/not_json.json --backend eager", "--backend excludes --replay"},
      {"--tier exhaustive --ops linear --backend eager --out " + out + "/empty", "nothing was checked"},
      {"--fail-on bogus", "--fail-on: expected suspicious, undecided or unchecked, got 'bogus'"},
      {"--fail-on undecided,undecided", "--fail-on: 'undecided' is given twice"},
  };
  for (const Case& c : cases) {
    CommandResult r = tl_check(c.args + " --quiet");
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << "\n" << r.output;
  }
  // An empty run is accepted when asked for; a shard left empty by --shard is not an empty run.
  EXPECT_EQ(tl_check("--tier exhaustive --ops linear --backend eager --allow-empty --quiet --out " + out + "/empty").status, 0);
  EXPECT_EQ(tl_check("--ops exp --cases 2 --shard 5/6 --backend eager --quiet --out " + out + "/shard").status, 0);
  // --fail-on unchecked: skipped rows (input, never computed: one per dtype) fail the run, and it says so.
  std::string some_skipped = "--ops input,exp --cases 2 --backend eager --quiet --out " + out + "/skipped";
  EXPECT_EQ(tl_check(some_skipped).status, 0);
  CommandResult unchecked = tl_check(some_skipped + " --fail-on unchecked");
  EXPECT_EQ(unchecked.status, 1) << unchecked.output;
  EXPECT_NE(unchecked.output.find("--fail-on: 2 skipped or unsupported rows"), std::string::npos) << unchecked.output;
  EXPECT_EQ(tl_check(some_skipped + " --fail-on suspicious,undecided").status, 0);
}

// merge reads what a shard wrote: a count it could not have written, or an --out that is one of the
// shards, is exit 2; a missing shard is said on stderr.
TEST(TlCheck, MergeRefusesImpossibleCountsAndItsOwnInputAsOutputAndWarnsOfMissingShards) {
  std::string a = scratch("m0"), b = scratch("m1"), bad = scratch("mbad");
  std::string common = "--ops add --cases 4 --backend eager --quiet --seed 3 --shard ";
  ASSERT_EQ(tl_check(common + "0/2 --out " + a).status, 0);
  ASSERT_EQ(tl_check(common + "1/2 --out " + b).status, 0);
  json j = read_json(a + "/report.json");
  j["rows"][0]["cases"] = 9223372036854775807ull;  // summed with the other shard it would overflow
  fs::create_directories(bad);
  std::ofstream(bad + "/report.json") << j.dump();
  CommandResult huge = tl_check("merge " + bad + " " + b + " --out " + scratch("mout"));
  EXPECT_EQ(huge.status, 2) << huge.output;
  EXPECT_NE(huge.output.find("rows[0]: field 'cases' must be a count"), std::string::npos) << huge.output;
  j = read_json(a + "/report.json");
  j["settings"]["shards"] = -1;  // would size a vector of 2^64 - 1 flags
  std::ofstream(bad + "/report.json") << j.dump();
  CommandResult shards = tl_check("merge " + bad + " " + b + " --out " + scratch("mout2"));
  EXPECT_EQ(shards.status, 2) << shards.output;
  EXPECT_NE(shards.output.find("field 'shards' must be a count"), std::string::npos) << shards.output;
  CommandResult self = tl_check("merge " + a + " " + b + " --out " + a);
  EXPECT_EQ(self.status, 2) << self.output;
  EXPECT_NE(self.output.find("is one of the shard folders"), std::string::npos) << self.output;
  CommandResult half = tl_check("merge " + a + " --out " + scratch("mhalf"));
  EXPECT_EQ(half.status, 0) << half.output;
  EXPECT_NE(half.output.find("warning: 1 shard(s) were given of a run split into 2"), std::string::npos) << half.output;
}

TEST(TlCheck, CudaWithoutAUsableGpuExitsWith3) {
  if (tl::testing::cuda_usable()) GTEST_SKIP() << "a GPU is usable here";
  CommandResult r = tl_check("--backend cuda --ops add --quiet --out " + scratch("cuda"));
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_NE(r.output.find("unavailable"), std::string::npos) << r.output;
}

TEST(TlCheck, ListsOpsAndContracts) {
  CommandResult ops = tl_check("--list-ops");
  EXPECT_EQ(ops.status, 0);
  EXPECT_NE(ops.output.find("scatter_add_rows"), std::string::npos);
  CommandResult contracts = tl_check("--list-contracts --backend eager --dtype float32");
  EXPECT_EQ(contracts.status, 0);
  EXPECT_NE(contracts.output.find("strict(FMA chain over k from +0, ascending)"), std::string::npos) << contracts.output;
}

TEST(TlCheck, RandomGraphsAreCheckedNodeByNode) {
  std::string out = scratch("graphs");
  CommandResult r = tl_check("--graphs 6 --ops add --cases 1 --backend eager,compiled --quiet --out " + out);
  EXPECT_EQ(r.status, 0) << r.output;
  json j = read_json(out + "/report.json");
  ASSERT_EQ(j["graphs"].size(), 24u);  // 6 graphs x 2 dtypes x 2 backends
  for (const json& g : j["graphs"]) {
    EXPECT_GT(g["nodes_checked"].get<int>(), 0);
    EXPECT_EQ(g["verdict"], "pass") << g;
    EXPECT_TRUE(g["loss_ulp"].is_number()) << "end-to-end loss error must be finite: " << g;
  }
}

TEST(TlCheck, UserGraphFilesAreCheckedWholeWithoutTheOpTiers) {
  std::string out = scratch("user_graphs");
  std::string graphs;
  for (const char* f : {"mlp_2_8_1_mse", "softmax_classifier_ce", "tiny_convnet", "residual_layernorm_gelu"})
    graphs += std::string(" --graph ") + TL_SOURCE_DIR + "/examples/graphs/" + f + ".json";
  CommandResult r = tl_check(graphs + " --backend eager,compiled --quiet --out " + out);
  EXPECT_EQ(r.status, 0) << r.output;
  json j = read_json(out + "/report.json");
  EXPECT_TRUE(j.at("rows").empty()) << "--graph alone runs no op rows";
  ASSERT_EQ(j["graphs"].size(), 8u);  // 4 files x 2 backends
  for (const json& g : j["graphs"]) {
    EXPECT_NE(g["source"].get<std::string>().find("examples/graphs/"), std::string::npos) << g;
    EXPECT_GT(g["nodes_checked"].get<int>(), 0) << g;
    EXPECT_EQ(g["verdict"], "pass") << g;
    EXPECT_TRUE(g["gradients_checked"].get<bool>()) << "every example graph has a scalar loss and parameters: " << g;
  }
  std::string with_ops = scratch("user_graphs_and_ops");
  EXPECT_EQ(tl_check(graphs + " --ops all --cases 1 --backend eager --quiet --out " + with_ops).status, 0);
  json k = read_json(with_ops + "/report.json");
  EXPECT_FALSE(k["rows"].empty()) << "--ops all adds the op rows";
  EXPECT_EQ(k["graphs"].size(), 4u);
}

TEST(TlCheck, GraphInputsComeFromNpyFilesAndBadOnesExitWith2NamingTheFile) {
  std::string dir = scratch("inputs");
  fs::create_directories(dir);
  std::string graph = std::string(TL_SOURCE_DIR) + "/examples/graphs/softmax_classifier_ce.json";
  std::string args = " --graph " + graph + " --inputs " + dir + " --backend eager --quiet --out " + dir + "/out";
  tl::write_npy(dir + "/labels.npy", tl::HostTensor::from_values<double>(tl::Shape{6}, {0, 1, 2, 0, 1, 2}));
  CommandResult from_file = tl_check(args);
  EXPECT_EQ(from_file.status, 0) << "valid labels from the file\n" << from_file.output;
  std::string sources = "labels: " + dir + "/labels.npy";  // said on the terminal and in the report
  EXPECT_NE(from_file.output.find(sources), std::string::npos) << from_file.output;
  EXPECT_NE(read_json(dir + "/out/report.json")["graphs"][0]["inputs"].get<std::string>().find(sources), std::string::npos);
  fs::create_directories(dir + "/softmax_classifier_ce");  // the graph's own folder comes first
  tl::write_npy(dir + "/softmax_classifier_ce/labels.npy", tl::HostTensor::from_values<double>(tl::Shape{6}, {0, 1, 2, 0, 1, 9}));
  CommandResult own_folder = tl_check(args);
  EXPECT_EQ(own_folder.status, 2) << own_folder.output;
  EXPECT_NE(own_folder.output.find("not an integer in [0, 3)"), std::string::npos) << own_folder.output;
  fs::remove_all(dir + "/softmax_classifier_ce");
  tl::write_npy(dir + "/labels.npy", tl::HostTensor::from_values<double>(tl::Shape{6}, {0, 1, 2, 0, 1, 7}));
  CommandResult bad_label = tl_check(args);
  EXPECT_EQ(bad_label.status, 2) << bad_label.output;
  EXPECT_NE(bad_label.output.find("not an integer in [0, 3)"), std::string::npos) << "the file's label 7 was used: " << bad_label.output;
  EXPECT_NE(bad_label.output.find("(input values from " + dir + "/labels.npy)"), std::string::npos) << bad_label.output;
  tl::write_npy(dir + "/labels.npy", tl::HostTensor::from_values<double>(tl::Shape{2, 3}, {0, 1, 2, 0, 1, 2}));
  CommandResult bad_shape = tl_check(args);
  EXPECT_EQ(bad_shape.status, 2);
  EXPECT_NE(bad_shape.output.find("labels.npy: input 'labels' has shape [6] but the file holds [2,3]"), std::string::npos)
      << bad_shape.output;
  tl::write_npy(dir + "/labels.npy", tl::HostTensor::from_values<double>(tl::Shape{6}, {0, 1, 2, 0, 1, 2}));
  tl::write_npy(dir + "/Labels.npy", tl::HostTensor::from_values<double>(tl::Shape{6}, {0, 1, 2, 0, 1, 2}));
  CommandResult misnamed = tl_check(args);  // would leave an input seeded: an error, not a fallback
  EXPECT_EQ(misnamed.status, 2) << misnamed.output;
  EXPECT_NE(misnamed.output.find("Labels.npy' matches no input of"), std::string::npos) << misnamed.output;
  EXPECT_NE(misnamed.output.find("did you mean 'labels.npy'?"), std::string::npos) << misnamed.output;
  fs::remove(dir + "/Labels.npy");
  fs::create_directories(dir + "/softmax_classifier_ce");
  tl::write_npy(dir + "/softmax_classifier_ce/weights.npy", tl::HostTensor::from_values<double>(tl::Shape{1}, {0}));
  CommandResult misnamed_own = tl_check(args);
  EXPECT_EQ(misnamed_own.status, 2) << misnamed_own.output;
  EXPECT_NE(misnamed_own.output.find("weights.npy' matches no input of"), std::string::npos) << misnamed_own.output;
  fs::remove_all(dir + "/softmax_classifier_ce");
  EXPECT_EQ(tl_check(args).status, 0);
  CommandResult twice = tl_check("--graph " + graph + " --graph " + graph + " --quiet --out " + dir + "/out");
  EXPECT_EQ(twice.status, 2);
  EXPECT_NE(twice.output.find("is given twice"), std::string::npos) << twice.output;
  CommandResult missing = tl_check("--graph " + dir + "/nope.json --quiet --out " + dir + "/out");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.output.find("nope.json"), std::string::npos) << missing.output;
  std::ofstream(dir + "/empty_table.json") << R"({"format": "tl.ir.v1", "name": "empty_table", "nodes": [
    {"id": 0, "op": "input", "dtype": "float32", "shape": [0, 3], "attrs": {"name": "table", "role": "param"}},
    {"id": 1, "op": "input", "dtype": "float32", "shape": [4], "attrs": {"name": "idx", "role": "data"}},
    {"id": 2, "op": "gather_rows", "parents": [0, 1], "dtype": "float32", "shape": [4, 3]}],
    "outputs": [{"name": "rows", "node": 2}]})";
  CommandResult no_index = tl_check("--graph " + dir + "/empty_table.json --backend eager --quiet --out " + dir + "/out");
  EXPECT_EQ(no_index.status, 2) << "a valid graph with no valid index value: " << no_index.output;
  EXPECT_NE(no_index.output.find("input 'idx': no valid index"), std::string::npos) << no_index.output;
  std::ofstream(dir + "/huge.json") << R"({"format": "tl.ir.v1", "name": "huge", "nodes": [
    {"id": 0, "op": "input", "dtype": "float64", "shape": [40000, 40000], "attrs": {"name": "x", "role": "data"}},
    {"id": 1, "op": "exp", "parents": [0], "dtype": "float64", "shape": [40000, 40000]},
    {"id": 2, "op": "exp", "parents": [1], "dtype": "float64", "shape": [40000, 40000]},
    {"id": 3, "op": "exp", "parents": [2], "dtype": "float64", "shape": [40000, 40000]},
    {"id": 4, "op": "sum", "parents": [3], "dtype": "float64", "shape": []}],
    "outputs": [{"name": "s", "node": 4}]})";
  CommandResult huge = tl_check("--graph " + dir + "/huge.json --backend eager --quiet --out " + dir + "/out");
  EXPECT_EQ(huge.status, 2) << "6.4e9 elements, about 600 GiB with their enclosures: " << huge.output;
  EXPECT_NE(huge.output.find("huge.json: too large to check here: its nodes hold 6.4e+09 elements"), std::string::npos)
      << huge.output;
  EXPECT_EQ(tl_check("--inputs " + dir + " --quiet --out " + dir + "/out").status, 2) << "--inputs needs --graph";
  CommandResult not_dir = tl_check("--graph " + graph + " --inputs " + graph + " --quiet --out " + dir + "/out");
  EXPECT_EQ(not_dir.status, 2);
  EXPECT_NE(not_dir.output.find("--inputs"), std::string::npos) << not_dir.output;
}

}  // namespace
