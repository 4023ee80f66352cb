// The malformed-graph corpus (tests/data/malformed/): every file must be rejected with a UserError
// whose message contains the text listed for it in EXPECTED.tsv; never a crash, never accepted.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "spec/file_io.h"
#include "spec/json_io.h"

namespace tl {
namespace {

namespace fs = std::filesystem;
const fs::path kCorpus = fs::path(TL_TEST_DATA_DIR) / "malformed";

std::map<std::string, std::string> expected_messages() {
  std::map<std::string, std::string> out;
  std::ifstream in(kCorpus / "EXPECTED.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    out[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return out;
}

TEST(MalformedGraphs, CorpusHasAtLeastThirtyFilesEachWithAnExpectedMessage) {
  auto expected = expected_messages();
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    EXPECT_TRUE(expected.count(entry.path().filename().string())) << entry.path();
  }
  EXPECT_GE(files, 30);
  EXPECT_EQ(static_cast<std::size_t>(files), expected.size());
}

TEST(MalformedGraphs, EveryFileIsRejectedWithAUserErrorNamingTheProblem) {
  for (const auto& [file, message] : expected_messages()) {
    SCOPED_TRACE(file);
    try {
      read_graph((kCorpus / file).string());
      ADD_FAILURE() << "accepted";
    } catch (const UserError& e) {
      std::string what = e.what();
      EXPECT_NE(what.find(message), std::string::npos) << "message was: " << what;
      EXPECT_NE(what.find(file), std::string::npos) << "does not name the file: " << what;
    }
  }
}

TEST(MalformedGraphs, UnreadablePathsAreUserErrors) {
  EXPECT_THROW(read_graph("/nonexistent/graph.json"), UserError);
  EXPECT_THROW(read_graph(kCorpus.string()), UserError);  // a directory
}

TEST(MalformedGraphs, EveryTruncationOfAValidGraphIsRejected) {
  std::string text = read_file(std::string(TL_EXAMPLES_DIR) + "/graphs/mlp_2_8_1_mse.json");
  ASSERT_NO_THROW(graph_from_json(text, "full"));
  for (std::size_t n = 0; n + 1 < text.size(); n += 7) {
    EXPECT_THROW(graph_from_json(text.substr(0, n), "truncated"), UserError) << n;
  }
}

}  // namespace
}  // namespace tl
