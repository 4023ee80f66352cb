// The torchlean command's graph subcommands: exit status 0 for valid graphs, 2 with a message
// naming the problem for bad files and bad flags, and no partial output file on failure.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "../common/run_command.h"

namespace {

using Result = tl::testing::CommandResult;

Result run(const std::string& args) { return tl::testing::run_command(std::string(TL_TORCHLEAN_BIN) + " " + args); }

const std::string kGraphs = std::string(TL_EXAMPLES_DIR) + "/graphs/";
const std::string kMalformed = std::string(TL_TEST_DATA_DIR) + "/malformed/";

TEST(TorchleanCli, CheckAcceptsTheExampleGraphs) {
  Result r = run("graph check " + kGraphs + "*.json");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("ok   "), std::string::npos);
}

TEST(TorchleanCli, CheckRejectsAMalformedGraphWithStatus2AndTheReason) {
  Result r = run("graph check " + kMalformed + "unknown_op.json");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("unknown op 'relu6'"), std::string::npos) << r.output;
}

TEST(TorchleanCli, EveryMalformedFileGivesStatus2NeverACrash) {
  for (const auto& e : std::filesystem::directory_iterator(kMalformed)) {
    if (e.path().extension() != ".json") continue;
    Result r = run("graph fmt " + e.path().string());
    EXPECT_EQ(r.status, 2) << e.path() << "\n" << r.output;
  }
}

TEST(TorchleanCli, BadFlagsGiveStatus2) {
  EXPECT_EQ(run("graph check --no-such-flag x.json").status, 2);
  Result unknown = run("frobnicate");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.output.find("unknown command 'frobnicate'"), std::string::npos) << unknown.output;
  EXPECT_EQ(run("").status, 2);
  Result sub = run("graph frobnicate x.json");
  EXPECT_EQ(sub.status, 2);
  EXPECT_NE(sub.output.find("unknown graph command 'frobnicate'"), std::string::npos) << sub.output;
}

// Output that cannot be written is an error, not success with the output lost.
TEST(TorchleanCli, AFullStandardOutputIsExit2NotSuccess) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  for (const std::string args : {"graph fmt " + kGraphs + "mlp_2_8_1_mse.json", std::string("ops")}) {
    Result r = tl::testing::run_command("{ " + std::string(TL_TORCHLEAN_BIN) + " " + args + " >/dev/full; }");
    EXPECT_EQ(r.status, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find("cannot write to standard output"), std::string::npos) << r.output;
  }
}

// An output path is followed when it is a link and refused when it is not a file, never replaced.
TEST(TorchleanCli, FmtWritesThroughALinkAndRefusesADevice) {
  auto dir = std::filesystem::temp_directory_path() / ("tl_cli_link_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::create_symlink(dir / "target.json", dir / "link.json");
  std::FILE* f = std::fopen((dir / "target.json").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  EXPECT_EQ(run("graph fmt " + kGraphs + "tiny_convnet.json -o " + (dir / "link.json").string()).status, 0);
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "link.json"));
  EXPECT_GT(std::filesystem::file_size(dir / "target.json"), 0u);
  Result dev = run("graph fmt " + kGraphs + "tiny_convnet.json -o /dev/null");
  EXPECT_EQ(dev.status, 2);
  EXPECT_NE(dev.output.find("'/dev/null': it exists and is not a regular file"), std::string::npos) << dev.output;
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/null"));
  std::filesystem::remove_all(dir);
}

TEST(TorchleanCli, FailedFmtLeavesNoOutputFile) {
  auto out = std::filesystem::temp_directory_path() / "tl_cli_fmt_out.json";
  std::filesystem::remove(out);
  EXPECT_EQ(run("graph fmt " + kMalformed + "cycle_self.json -o " + out.string()).status, 2);
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_EQ(run("graph fmt " + kGraphs + "tiny_convnet.json -o " + out.string()).status, 0);
  EXPECT_TRUE(std::filesystem::exists(out));
  std::filesystem::remove(out);
}

TEST(TorchleanCli, DotOutputNamesEveryNodeAndOutput) {
  Result r = run("graph dot " + kGraphs + "mlp_2_8_1_mse.json");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("digraph"), std::string::npos);
  EXPECT_NE(r.output.find("n9 -> out1"), std::string::npos) << r.output;
}

}  // namespace

namespace {

TEST(TorchleanCli, ReferenceTourChecksEveryEnclosureAndEndsWithTheUlpSummary) {
  Result r = run("reference_tour");
  EXPECT_EQ(r.status, 0) << r.output;
  // The tour checks each interval enclosure against the exact fraction and prints "K of N".
  auto at = r.output.find("checked: ");
  ASSERT_NE(at, std::string::npos) << r.output;
  long k = 0, n = 0;
  ASSERT_EQ(std::sscanf(r.output.c_str() + at, "checked: %ld of %ld", &k, &n), 2);
  EXPECT_GT(n, 0);
  EXPECT_EQ(k, n);
  EXPECT_NE(r.output.find("float32 results"), std::string::npos);
}

}  // namespace
