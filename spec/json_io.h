// The tl.ir.v1 JSON format: reading (with validation) and writing (stable, exact round trip).
//
//   {"format": "tl.ir.v1", "name": "...",
//    "nodes": [{"id": 0, "op": "input", "parents": [], "dtype": "float32", "shape": [4, 2],
//               "attrs": {"name": "x", "role": "data"}}, ...],
//    "outputs": [{"name": "loss", "node": 9}]}
//
// Const payloads: "value": {"encoding": "hex", "data": ["0x1p-1", "-inf", ...]} or
// {"encoding": "base64", "data": "<little-endian bytes>"}. Floating attributes are JSON numbers
// (written in shortest round-trip form) or hex-float strings. Unknown keys are errors, so typos do
// not pass silently. docs/ir-format.md is the full description.
#pragma once

#include <string>
#include <string_view>

#include "spec/graph.h"

namespace tl {

inline constexpr std::string_view kIrFormat = "tl.ir.v1";
inline constexpr int kMaxJsonDepth = 32;

// Parses and validates; UserError naming `source`, the node and the field on any problem.
Graph graph_from_json(std::string_view text, std::string_view source);
Graph read_graph(const std::string& path);

// One node per line; identical graphs give identical text.
std::string graph_to_json(const Graph& g);
void write_graph(const std::string& path, const Graph& g);

}  // namespace tl
