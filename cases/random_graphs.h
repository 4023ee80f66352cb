// Random valid graphs for the backend tests: an input batch goes through 2–7 randomly chosen
// layers (elementwise ops, linear, binary ops with parameters, softmax, layer_norm, reshapes) and
// ends in a loss. Inputs and parameters get seeded values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "spec/builder.h"
#include "spec/splitmix.h"

namespace tl::oracle {

struct GraphCase {
  Graph graph;
  std::map<std::string, HostTensor> inputs;
  std::vector<NodeId> params;
  NodeId loss = 0;
  // Where each input's values came from (users' graphs, in node order): a .npy file, or seeded
  // values when `file` is empty.
  struct InputSource {
    std::string name, file;
  };
  std::vector<InputSource> input_sources;
};

GraphCase random_graph(SplitMix64& rng, DType dtype);

}  // namespace tl::oracle
