// The strength check (issue 5): every bug planted in the fast backend (fast/planted.h) is caught by
// tl-check — exit 1 with a discrepancy record — and the record's shrunk reproducer fails with the
// bug and passes without it; the planted build with no bug active passes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../common/run_command.h"
#include "fast/planted.h"

namespace {

namespace fs = std::filesystem;
using tl::testing::CommandResult;

std::string scratch(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("tl_strength_test_" + std::to_string(getpid())) / name;
  fs::remove_all(p);
  return p.string();
}

CommandResult planted(const std::string& bug, const std::string& args) {
  std::string env = bug.empty() ? "env -u TL_PLANT " : "env TL_PLANT=" + bug + " ";
  return tl::testing::run_command(env + TL_CHECK_PLANTED_BIN + " " + args);
}

}  // namespace

namespace tl::fast {
void PrintTo(const PlantedBug& bug, std::ostream* os) { *os << bug.name; }
}  // namespace tl::fast

namespace {

class PlantedBug : public ::testing::TestWithParam<tl::fast::PlantedBug> {};

// Each bug is caught by the default unit tier (its op, eager and compiled, both dtypes, 8 random graphs)
// under three seeds; the first seed's records are shrunk and replay as a failure with the bug, a pass
// without (a failed accumulation's record is its graph fragment, checked with --graph).
TEST_P(PlantedBug, IsCaughtByTheUnitTierUnderThreeSeedsWithAShrunkReproducerThatFailsOnlyWithTheBug) {
  const tl::fast::PlantedBug& bug = GetParam();
  const char* seeds[] = {"20261125", "1", "2"};
  for (const char* seed : seeds) {
    std::string out = scratch(std::string(bug.name) + "_" + seed);
    CommandResult r = planted(bug.name, std::string("--ops ") + bug.op + " --backend " + bug.backends +
                                            " --dtype all --graphs 8 --seed " + seed + " --quiet --out " + out);
    ASSERT_EQ(r.status, 1) << bug.description << " (seed " << seed << ")\n" << r.output;
    ASSERT_TRUE(fs::exists(out + "/discrepancies")) << r.output;
    if (seed != seeds[0]) continue;
    int replays = 0;
    for (const auto& e : fs::directory_iterator(out + "/discrepancies")) {
      std::string file = e.path().string();
      auto record = nlohmann::json::parse(tl::testing::run_command("cat " + file).output);
      if (record["format"] == "tl.ir.v1") {  // a failed accumulation's graph fragment: checked as a graph file
        std::string backend = file.substr(file.rfind('/') + 1, file.find("-float") - file.rfind('/') - 1);
        EXPECT_EQ(planted(bug.name, "--graph " + file + " --backend " + backend + " --quiet --out " + scratch("fragment")).status, 1) << file;
        EXPECT_EQ(planted("", "--graph " + file + " --backend " + backend + " --quiet --out " + scratch("fragment")).status, 0) << file;
      } else {
        // op rows' records are shrunk; a graph node's record is that node alone, fed the run's values
        if (file.find("-graph") == std::string::npos) EXPECT_TRUE(record["shrunk"].get<bool>()) << file;
        EXPECT_EQ(planted(bug.name, "--replay " + file).status, 1) << file;
        EXPECT_EQ(planted("", "--replay " + file).status, 0) << file;
      }
      if (++replays == 2) break;
    }
    EXPECT_GT(replays, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(StrengthCheck, PlantedBug, ::testing::ValuesIn(tl::fast::planted_bugs()),
                         [](const auto& info) { return std::string(info.param.name); });

// A user's graph file (--graph) catches the bugs of the ops it uses, at the node that runs them, with
// a replayable record; the same graph passes without the bug.
TEST(StrengthCheck, AGraphFileCatchesThePlantedBugsOfItsOpsAtTheirNodes) {
  std::string graph = std::string(TL_SOURCE_DIR) + "/tests/data/graphs/exp_layer_mse.json";
  for (auto [bug, node] : {std::pair{"fast_math_exp", "node 5 (exp)"}, std::pair{"mse_missing_rounding", "node 6 (mse_loss)"}}) {
    std::string out = scratch(std::string("graph_") + bug);
    CommandResult r = planted(bug, "--graph " + graph + " --backend eager,compiled --quiet --out " + out);
    EXPECT_EQ(r.status, 1) << bug << "\n" << r.output;
    EXPECT_NE(r.output.find(node), std::string::npos) << bug << "\n" << r.output;
    EXPECT_NE(r.output.find("-file0-node"), std::string::npos) << "a graph file's records are named apart from "
                                                                  "random graph 0's: " << r.output;
  }
  EXPECT_EQ(planted("", "--graph " + graph + " --backend eager,compiled --quiet --out " + scratch("graph_none")).status, 0);
  // A VJP bug is caught at its node too: each node's VJP is checked on the run's own upstream gradient.
  std::string mlp = std::string(TL_SOURCE_DIR) + "/tests/data/graphs/tanh_mlp_ce.json";
  CommandResult vjp = planted("tanh_grad_sign", "--graph " + mlp + " --backend eager,compiled --quiet --out " + scratch("graph_vjp"));
  EXPECT_EQ(vjp.status, 1) << vjp.output;
  EXPECT_NE(vjp.output.find("node 4 (tanh) vjp[0]"), std::string::npos) << vjp.output;
  EXPECT_NE(vjp.output.find("-file0-node4-vjp0.json"), std::string::npos) << vjp.output;
  EXPECT_EQ(planted("", "--graph " + mlp + " --backend eager,compiled --quiet --out " + scratch("graph_vjp_none")).status, 0);
}

// The records of a report stay with it: a refused run in the same --out changes nothing, a new run
// replaces the records (only its .json files: a user's other files there stay), and no staging
// folder is left behind.
TEST(StrengthCheck, ARefusedRunKeepsThePreviousRecordsAndANewRunReplacesOnlyThem) {
  std::string out = scratch("records"), graph = std::string(TL_SOURCE_DIR) + "/tests/data/graphs/exp_layer_mse.json";
  ASSERT_EQ(planted("fast_math_exp", "--graph " + graph + " --backend eager --quiet --out " + out).status, 1);
  auto records = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(out + "/discrepancies")) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  std::vector<std::string> before = records();
  ASSERT_FALSE(before.empty());
  // A record whose own fields disagree with its graph is refused, not replayed as something else.
  std::string record_path = out + "/discrepancies/" + before[0];
  nlohmann::json record = nlohmann::json::parse(tl::testing::run_command("cat " + record_path).output);
  for (auto [field, value] : {std::pair{"op", nlohmann::json("relu")}, std::pair{"dtype", nlohmann::json("float16")}}) {
    nlohmann::json bad = record;
    bad[field] = value;
    std::string bad_path = scratch(std::string("bad_record_") + field + ".json");
    std::ofstream(bad_path) << bad.dump();
    CommandResult r = planted("", "--replay " + bad_path);
    EXPECT_EQ(r.status, 2) << field << "\n" << r.output;
    EXPECT_NE(r.output.find(std::string("field '") + field + "'"), std::string::npos) << r.output;
  }
  CommandResult refused = planted("fast_math_exp", "--graph /nonexistent.json --backend eager --quiet --out " + out);
  EXPECT_EQ(refused.status, 2) << refused.output;
  EXPECT_EQ(records(), before);
  std::ofstream(out + "/discrepancies/notes.txt") << "mine";
  fs::create_directories(out + "/.tl-check-staging-999999999");  // left by a killed run (no such process)
  ASSERT_EQ(planted("", "--graph " + graph + " --backend eager --quiet --out " + out).status, 0);
  EXPECT_EQ(records(), std::vector<std::string>{"notes.txt"});
  for (const auto& e : fs::directory_iterator(out))
    EXPECT_EQ(e.path().filename().string().find(".tl-check-staging"), std::string::npos) << e.path();
}

TEST(StrengthCheck, ThePlantedBuildWithNoBugActivePasses) {
  CommandResult r = planted("", "--tier smoke --backend eager,compiled,cuda-emulated --dtype all --graphs 4 --quiet --out " + scratch("none"));
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST(StrengthCheck, AnUnknownPlantedBugIsAUsageError) {
  CommandResult r = planted("no_such_bug", "--ops add --quiet --out " + scratch("unknown"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("not a planted bug"), std::string::npos) << r.output;
}

}  // namespace
