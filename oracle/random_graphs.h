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
  std::vector<std::string> input_files;  // .npy files the input values came from (users' graphs)
  std::string input_sources;             // "x: DIR/x.npy, w: seeded, ..." (users' graphs)
};

GraphCase random_graph(SplitMix64& rng, DType dtype);

}  // namespace tl::oracle
