// What checking one op case yields (checking/check_op.h computes it, checking/backend_failures.h builds
// the directions a backend failed outright): per direction a verdict, error statistics, a histogram
// and the first discrepancy as a replayable record; and the options of one check.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "cases/op_cases.h"
#include "checking/verdict.h"

namespace tl::oracle {

// ULP histogram bins: [0] exactly 0, [1] (0, 0.5], [2] (0.5, 1], [2+k] (2^(k-1), 2^k] for k = 1..20,
// [23] above 2^20 (and infinite).
constexpr int kHistBins = 24;
int hist_bin(double ulp);
std::string hist_bin_label(int bin);

// The first element of a direction that failed (or stayed undecided): everything needed to replay it.
struct Discrepancy {
  std::string backend;
  OpCase op_case;                  // the single-op graph and its inputs
  std::optional<HostTensor> seed;  // upstream gradient, for VJP directions
  Direction direction;
  int64_t element = -1;
  double value = 0;                // the backend's value
  std::string enclosure;           // "[lo, hi]" of the real value, 40 digits
  std::optional<double> strict;    // the strict meaning's value
  double ulp = 0;
  Contract contract;
  Verdict verdict = Verdict::fail;
  std::string why;
  uint64_t case_seed = 0;
  std::string value_kind;
  bool shrunk = false;             // the inputs were shrunk from the generated case (case_seed, value_kind)
};

// The error statistics of the judged elements of one direction: of one case, or of a report row's
// cases together (the same type in both).
struct ErrorStats {
  int64_t elements = 0, correctly_rounded = 0, strict_bits = 0;
  double max_ulp = 0, max_utilisation = 0;
  std::string worst;  // "element 3: backend 0x1.8p+0, real [...]" — the element of max_ulp
  std::array<int64_t, kHistBins> hist{};
  // Adds `other`'s elements; `worst` follows the larger max_ulp (or the first one given).
  void add(const ErrorStats& other);
};

struct DirectionResult {
  Direction direction;
  Contract contract;
  Verdict verdict = Verdict::pass;
  ErrorStats stats;
  std::optional<Discrepancy> discrepancy;
  bool outside_precondition = false;  // elements break the contract's stated precondition: not judged
  bool imprecise = false;  // some element's error range is wider than half an ulp (enclosure too wide)
};

struct CaseResult {
  std::vector<DirectionResult> directions;  // forward first, then each VJP input that gets a gradient
  // The backend's own VJP per input (absent where it gives none): graph checking adds them up per
  // node to check the backward sweep's accumulation (checking/graph_check.cpp).
  std::vector<std::optional<HostTensor>> backend_grads;
};

struct CaseOptions {
  bool gradients = true;
  uint64_t case_seed = 0;         // drives the upstream gradient
  std::string value_kind;         // recorded in discrepancies
  // Graph checking: the backend's value of this node from the whole-graph run, judged instead of
  // running the op again (so fusion or buffer reuse in the graph run is what gets checked).
  const HostTensor* given_forward = nullptr;
  // Replay: the recorded upstream gradient instead of the one derived from case_seed.
  const HostTensor* given_upstream = nullptr;
};

}  // namespace tl::oracle
