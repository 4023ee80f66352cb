// Human-readable views of a graph: a text listing (one node per line) and Graphviz DOT.
#pragma once

#include <string>

#include "spec/graph.h"

namespace tl {

// "%3 = linear(%0, %1, %2) : float32[4,8]" per node, attributes in braces, then the outputs.
std::string graph_to_text(const Graph& g);
// A DOT digraph: inputs as ellipses, constants as boxes, outputs double-bordered.
std::string graph_to_dot(const Graph& g);
// "axis=1, eps=1e-05" (empty for ops without attributes); const payloads are not shown.
std::string attrs_to_text(const Attrs& a);

}  // namespace tl
