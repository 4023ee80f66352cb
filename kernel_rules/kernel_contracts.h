// The contract rows that follow from a kernel computing the strict meaning's formula in its declared
// order, shared by the fast backends (fast/ on the CPU, cuda/ on the GPU and its emulation): values
// moved or selected (exact), one IEEE operation (correctly rounded), the strict orders, the composite
// ops' derived bounds (docs/contracts.md) and the ops that give no gradient. Each backend's own table
// adds what differs: its transcendental functions' ulp bounds, its whole-tensor `sum`, and (cuda)
// float64 bce_with_logits, whose parts are the cuda table's double composites.
#pragma once

#include <optional>
#include <string>

#include "spec/contract.h"

namespace tl {

// What a backend says of the shared rows: its numerical policy and the evidence behind each kind.
struct KernelEvidence {
  std::string policy;
  Evidence rounding = Evidence::proved;  // correctly_rounded rows
  std::string rounding_detail;
  std::string strict_detail;   // strict(order) rows (evidence sampled)
  std::string derived_detail;  // derived rows of the composite ops (evidence assumed)
};

// The shared row for (op, direction), or nullopt where the backend states its own: the forward of
// `sum` and of the transcendental functions, and their VJPs. `direction` must give a gradient
// (op_input_gets_grad) unless it is the forward.
std::optional<Contract> shared_kernel_row(OpId op, Direction direction, const KernelEvidence& evidence);

// A strict(order) row with the shared declared order of (op, direction), e.g. "left fold from +0 in
// index order" for sum and the axis reductions.
Contract strict_kernel_row(OpId op, Direction direction, const KernelEvidence& evidence);

// A contract of `kind` with the backend's policy: the common constructor of both tables.
Contract kernel_contract(ContractKind kind, double ulps, Evidence evidence, std::string detail, const KernelEvidence& e);

}  // namespace tl
