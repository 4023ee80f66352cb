// Which reference VJPs use the forward output y (reference/eval_impl.h, vjp_op's switch): a checker
// converting the backend's y to the reference's scalars can skip it where no VJP is given it, and
// judge special values without it where the VJP's value does not depend on it.
#pragma once

#include "spec/op.h"

namespace tl::ref {

// vjp_op passes y on for these families only (unary, axis reductions, softmax, pooling).
inline bool vjp_takes_output(OpId op) {
  switch (op_family(op)) {
    case OpFamily::unary: case OpFamily::axis_reduce: case OpFamily::softmax: case OpFamily::pool:
      return true;
    case OpFamily::source: case OpFamily::binary: case OpFamily::full_reduce: case OpFamily::linalg:
    case OpFamily::norm: case OpFamily::conv: case OpFamily::move: case OpFamily::indexing: case OpFamily::loss:
      return false;
  }
  return true;
}

// Of those, the unary VJPs are given y[i] for every op but read it only for exp (g·y;
// ops_elementwise.h, unary_grad).
inline bool vjp_reads_output(OpId op) {
  if (op_family(op) == OpFamily::unary) return op == OpId::exp;
  return vjp_takes_output(op);
}

}  // namespace tl::ref
