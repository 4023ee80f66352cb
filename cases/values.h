// Value generators for case inputs (DESIGN §10, §12). RapidCheck's own float generator never yields
// NaN, inf, subnormals or tiny values, and draws every element independently around 0, so these are
// our own:
//   dyadic   small dyadics m·2^-k with few significant bits: every meaning agrees on the inputs and
//            sums of them are often exact (exactness-forcing);
//   binade   a random exponent in [-24, 24], then a random significand: stratified over binades;
//   bits     random bit patterns of the dtype (finite), so every binade incl. subnormals appears;
//   ties     values 2^e·(1 + j·2^(1-p)) mixed with 2^(e-p)·odd: sums and products land on or next to
//            rounding ties;
//   special  ±0, ±inf, NaN, ±smallest subnormal, ±largest subnormal, ±smallest normal, ±largest
//            finite, ±1, ±0.5, 1 ± ulp, mixed with dyadics;
//   offset   non-centred tensors: one sign, an offset 2^e (e in [-6, 10]) and a spread of 2^-k of it
//            (k uniform in [2, p - 6]): every reduction group's mean is far from 0 relative to its
//            spread, as real activations are;
//   repeats  every element from one small pool (1–3 values) shared by all inputs of the case: ties
//            for max, pooling and maximum/minimum, constant and two-valued groups for the norms;
//   regimes  points on and around each function's regime edges (cases/regimes.h: overflow and
//            underflow edges, tails, saturation, where a rounded result stops changing), derived
//            from the op's definition, never from a backend;
//   cancel   pairs (v, -v·(1 + δ)) along a random axis of the tensor, δ from 2^-1 down to an ulp:
//            sums along that axis are far smaller than the sums of their magnitudes;
//   zeros    exact zeros of both signs and the smallest subnormals mixed with dyadics.
// Domain constraints hold except under `special`: non-negative inputs where the op needs them (sqrt,
// rsqrt, log, reciprocal, div's divisor, running variances).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "cases/regimes.h"
#include "spec/graph.h"
#include "spec/splitmix.h"

namespace tl::oracle {

enum class ValueKind { dyadic, binade, bits, ties, special, offset, repeats, regimes, cancel, zeros };
inline constexpr ValueKind kValueKinds[] = {ValueKind::dyadic,  ValueKind::binade,  ValueKind::bits,
                                            ValueKind::ties,    ValueKind::special, ValueKind::offset,
                                            ValueKind::repeats, ValueKind::regimes, ValueKind::cancel,
                                            ValueKind::zeros};
std::string_view value_kind_name(ValueKind k);

// The values of one case: a kind, the op they feed (whose regime edges `regimes` draws from) and the
// state a kind keeps per case (the `repeats` pool) and per tensor (the offset and spread, the
// cancellation axis and pending partners). Every value is representable in the dtype.
class ValueSource {
 public:
  ValueSource(SplitMix64& rng, DType dtype, ValueKind kind, const Node& consumer);
  // `dyadic` values with `bits` significant bits (the default is 12).
  static ValueSource dyadic(SplitMix64& rng, DType dtype, int bits);
  // Call before the first value of each tensor; `shape` is that tensor's.
  void start_tensor(const Shape& shape);
  double next(bool positive);

 private:
  double offset_value(bool positive);
  double cancel_value(bool positive);
  double regime_value(bool positive);

  SplitMix64& rng_;
  DType dtype_;
  ValueKind kind_;
  int dyadic_bits_ = 12;
  std::vector<RegimeEdge> edges_;
  std::vector<double> pool_;        // repeats
  double offset_ = 1, spread_ = 0;  // offset
  int offset_sign_ = 1;
  int64_t stride_ = 1, index_ = 0;  // cancel: element i pairs with i - stride when (i / stride) is odd
  std::vector<double> recent_;      // cancel: the last `stride` values
};

// One value of a kind that keeps no state (a fresh source on the generic edges of the dtype for the
// others), honouring `positive` except for `special`.
double draw_value(SplitMix64& rng, DType dtype, ValueKind kind, bool positive);

// m / 2^(bits-2) with m in [2^(bits-6), 2^bits): magnitude in [2^-4, 4), `bits` significant bits.
double dyadic_value(SplitMix64& rng, int bits, bool positive);

}  // namespace tl::oracle
