// Random byte mutations of the example graphs: every mutant is either a valid graph or a UserError,
// never a crash or another exception. Seeded with SplitMix64; the seed is printed and can be set
// with TL_SEED to replay a failure.
#include <gtest/gtest.h>

#include <cstdlib>

#include "spec/file_io.h"
#include "spec/json_io.h"
#include "spec/splitmix.h"

namespace tl {
namespace {

uint64_t test_seed() {
  const char* env = std::getenv("TL_SEED");
  return env ? std::strtoull(env, nullptr, 10) : 20261125;
}

std::string mutate(std::string text, SplitMix64& rng) {
  int edits = 1 + static_cast<int>(rng.below(4));
  static const char kBytes[] = "{}[]\",:0123456789-.eE+ \x00\xff" "abcnultrfs";
  for (int i = 0; i < edits && !text.empty(); ++i) {
    std::size_t at = rng.below(text.size());
    switch (rng.below(4)) {
      case 0: text[at] = kBytes[rng.below(sizeof kBytes - 1)]; break;
      case 1: text.erase(at, 1 + rng.below(8)); break;
      case 2: text.insert(at, 1, kBytes[rng.below(sizeof kBytes - 1)]); break;
      case 3: text.insert(at, text.substr(rng.below(text.size()), rng.below(16))); break;
    }
  }
  return text;
}

TEST(MutatedGraphs, EveryMutantIsValidOrAUserError) {
  uint64_t seed = test_seed();
  std::printf("MutatedGraphs seed=%llu (replay: TL_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  SplitMix64 rng(seed);
  int accepted = 0, rejected = 0;
  for (const char* name : {"mlp_2_8_1_mse", "softmax_classifier_ce", "tiny_convnet",
                           "residual_layernorm_gelu"}) {
    std::string text = read_file(std::string(TL_EXAMPLES_DIR) + "/graphs/" + name + ".json");
    for (int i = 0; i < 1500; ++i) {
      std::string mutant = mutate(text, rng);
      try {
        Graph g = graph_from_json(mutant, "mutant");
        EXPECT_TRUE(graphs_equal(g, graph_from_json(graph_to_json(g), "rewrite")));
        ++accepted;
      } catch (const UserError&) {
        ++rejected;
      } catch (const std::exception& e) {
        ADD_FAILURE() << "seed " << seed << " graph " << name << " mutant " << i
                      << ": non-user exception: " << e.what() << "\n" << mutant;
      }
    }
  }
  std::printf("accepted=%d rejected=%d\n", accepted, rejected);
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace tl
