// The reduction length n of an op: how many terms one output element's computation adds up. It
// scales the budgets that grow with the work done — gamma_n of sum_bound/dot_bound and the
// ulps_per_term part of derived/empirical contracts (spec/contract.h). Elementwise and structural
// ops have n = 1.
#pragma once

#include <cstdint>
#include <vector>

#include "spec/graph.h"

namespace tl::oracle {

// n for the forward direction of `node` with these input shapes.
int64_t reduction_terms(const Node& node, const std::vector<Shape>& inputs);

// n for a VJP: the forward n, or the longest sum a gradient element forms when that is longer — the
// longest output axis (matmul, linear: dW sums over rows — all leading rows of x —, dx over output
// features; broadcast_to,
// gather_rows) or N·Ho·Wo for conv2d's filter gradient.
int64_t vjp_reduction_terms(const Node& node, const std::vector<Shape>& inputs);

}  // namespace tl::oracle
