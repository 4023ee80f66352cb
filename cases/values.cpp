// The value generators of values.h.
#include "cases/values.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "spec/error.h"

namespace tl::oracle {
namespace {

double signed_value(SplitMix64& rng, double mag, bool positive) { return positive || rng.below(2) ? mag : -mag; }

template <class T> double special_value(SplitMix64& rng) {
  using L = std::numeric_limits<T>;
  const T one = 1;
  const double table[] = {0.0, -0.0, L::infinity(), -L::infinity(), L::quiet_NaN(), L::denorm_min(),
                          -L::denorm_min(), L::min() - L::denorm_min(), L::min(), -L::min(), L::max(),
                          -L::max(), 1.0, -1.0, 0.5, std::nextafter(one, T(2)), std::nextafter(one, T(0))};
  return table[rng.below(sizeof table / sizeof table[0])];
}

template <class T> double bits_value(SplitMix64& rng) {
  for (;;) {
    T x;
    if constexpr (sizeof(T) == 4) { uint32_t u = static_cast<uint32_t>(rng.next()); std::memcpy(&x, &u, 4); }
    else { uint64_t u = rng.next(); std::memcpy(&x, &u, 8); }
    if (std::isfinite(x)) return static_cast<double>(x);
  }
}

// The value of dtype nearest to v, kept finite (the edge draws can step past MAX).
double representable(double v, DType dtype) {
  const double max = format_limits(dtype).max;
  if (std::fabs(v) > max) v = std::copysign(max, v);
  return dtype == DType::f32 ? static_cast<double>(static_cast<float>(v)) : v;
}

// A magnitude log-uniformly spread over (2^-(p+1), 2]: as many draws within a few ulps of 0 as near 1.
double log_uniform_unit(SplitMix64& rng, int p) {
  int k = static_cast<int>(rng.below(static_cast<uint64_t>(p + 2)));
  return std::ldexp(1 + rng.uniform(), -k);
}

template <class T> double stateless_value(SplitMix64& rng, ValueKind kind, bool positive) {
  constexpr int p = std::numeric_limits<T>::digits;
  switch (kind) {
    case ValueKind::dyadic: return dyadic_value(rng, 12, positive);
    case ValueKind::binade: {
      int e = static_cast<int>(rng.below(49)) - 24;
      double m = 1 + static_cast<double>(rng.next() >> (64 - (p - 1))) * std::ldexp(1.0, 1 - p);
      return signed_value(rng, std::ldexp(m, e), positive);
    }
    case ValueKind::bits: {
      double v = bits_value<T>(rng);
      return positive ? std::fabs(v) : v;
    }
    case ValueKind::ties: {
      int e = static_cast<int>(rng.below(7)) - 3;
      double mag = rng.below(2) ? std::ldexp(1 + static_cast<double>(rng.below(8)) * std::ldexp(1.0, 1 - p), e)
                                : std::ldexp(static_cast<double>(2 * rng.below(4) + 1), e - p);
      return signed_value(rng, mag, positive);
    }
    case ValueKind::special: return rng.below(2) ? special_value<T>(rng) : dyadic_value(rng, 12, positive);
    case ValueKind::zeros:
      switch (rng.below(8)) {
        case 0: case 1: case 2: return 0.0;
        case 3: case 4: return positive ? 0.0 : -0.0;
        case 5: return signed_value(rng, std::numeric_limits<T>::denorm_min() * static_cast<double>(1 + rng.below(4)), positive);
        default: return dyadic_value(rng, 12, positive);
      }
    case ValueKind::offset: case ValueKind::repeats: case ValueKind::regimes: case ValueKind::cancel:
      break;  // kept per case or per tensor: ValueSource
  }
  throw_internal("stateless_value called for a kind with state");
}

double stateless(SplitMix64& rng, DType dtype, ValueKind kind, bool positive) {
  return dtype == DType::f32 ? stateless_value<float>(rng, kind, positive) : stateless_value<double>(rng, kind, positive);
}

// A consumer with no op of its own: `regimes` draws on the format's edges for it.
Node generic_consumer() {
  Node n;
  n.op = OpId::input;
  return n;
}

}  // namespace

std::string_view value_kind_name(ValueKind k) {
  switch (k) {
    case ValueKind::dyadic: return "dyadic";
    case ValueKind::binade: return "binade";
    case ValueKind::bits: return "bits";
    case ValueKind::ties: return "ties";
    case ValueKind::special: return "special";
    case ValueKind::offset: return "offset";
    case ValueKind::repeats: return "repeats";
    case ValueKind::regimes: return "regimes";
    case ValueKind::cancel: return "cancel";
    case ValueKind::zeros: return "zeros";
  }
  throw_internal("bad ValueKind value");
}

double dyadic_value(SplitMix64& rng, int bits, bool positive) {
  int64_t lo = int64_t{1} << (bits - 6), hi = int64_t{1} << bits;
  double mag = std::ldexp(static_cast<double>(lo + static_cast<int64_t>(rng.below(static_cast<uint64_t>(hi - lo)))), 2 - bits);
  return signed_value(rng, mag, positive);
}

ValueSource::ValueSource(SplitMix64& rng, DType dtype, ValueKind kind, const Node& consumer)
    : rng_(rng), dtype_(dtype), kind_(kind) {
  if (kind == ValueKind::regimes) edges_ = regime_edges(consumer, dtype);
  if (kind == ValueKind::repeats) {
    const uint64_t size = 1 + rng.below(3);
    for (uint64_t i = 0; i < size; ++i) pool_.push_back(dyadic_value(rng, 8, false));
  }
}

ValueSource ValueSource::dyadic(SplitMix64& rng, DType dtype, int bits) {
  ValueSource source(rng, dtype, ValueKind::dyadic, generic_consumer());
  source.dyadic_bits_ = bits;
  return source;
}

void ValueSource::start_tensor(const Shape& shape) {
  index_ = 0;
  recent_.clear();
  if (kind_ == ValueKind::offset) {
    const int p = format_limits(dtype_).p;
    offset_sign_ = rng_.below(2) ? 1 : -1;
    offset_ = std::ldexp(1.0, static_cast<int>(rng_.below(17)) - 6);
    // spread 2^-k of the offset, k uniform in [2, p - 6] (the spread keeps a few bits of its own)
    spread_ = std::ldexp(offset_, -2 - static_cast<int>(rng_.below(static_cast<uint64_t>(p - 7))));
  }
  if (kind_ == ValueKind::cancel) {  // the stride of a random axis (1 for scalars)
    stride_ = 1;
    if (shape.rank() > 0) {
      const auto axis = static_cast<std::size_t>(rng_.below(static_cast<uint64_t>(shape.rank())));
      for (std::size_t a = axis + 1; a < static_cast<std::size_t>(shape.rank()); ++a) stride_ *= shape.dims()[a];
      if (stride_ == 0) stride_ = 1;
    }
  }
}

double ValueSource::offset_value(bool positive) {
  const double u = (2 * static_cast<double>(rng_.below(4096)) + 1) / 4096 - 1;  // odd multiples of 2^-12 in (-1, 1)
  return representable((positive ? 1 : offset_sign_) * (offset_ + spread_ * u), dtype_);
}

double ValueSource::cancel_value(bool positive) {
  const int p = format_limits(dtype_).p;
  const bool partner = (index_ / stride_) % 2 == 1;
  double v;
  if (partner) {
    const double first = recent_[static_cast<std::size_t>(index_ % stride_)];
    const double delta = std::ldexp(rng_.below(2) ? 1.0 : -1.0, -1 - static_cast<int>(rng_.below(static_cast<uint64_t>(p))));
    v = representable(-first * (1 + delta), dtype_);
  } else {
    const double m = 1 + static_cast<double>(rng_.below(4096)) / 4096;
    v = signed_value(rng_, std::ldexp(m, static_cast<int>(rng_.below(17)) - 8), false);
    if (recent_.size() < static_cast<std::size_t>(stride_)) recent_.resize(static_cast<std::size_t>(stride_));
    recent_[static_cast<std::size_t>(index_ % stride_)] = v;
  }
  ++index_;
  return positive ? std::fabs(v) : v;
}

double ValueSource::regime_value(bool positive) {
  const RegimeEdge& e = edges_[rng_.below(edges_.size())];
  const double step = e.spread * log_uniform_unit(rng_, format_limits(dtype_).p);
  double v = e.at + (rng_.below(2) ? step : -step);
  if (e.symmetric && rng_.below(2)) v = -v;
  v = representable(v, dtype_);
  return positive ? std::fabs(v) : v;
}

double ValueSource::next(bool positive) {
  switch (kind_) {
    case ValueKind::offset: return offset_value(positive);
    case ValueKind::repeats: {
      const double v = pool_[rng_.below(pool_.size())];
      return positive ? std::fabs(v) : v;
    }
    case ValueKind::regimes: return regime_value(positive);
    case ValueKind::cancel: return cancel_value(positive);
    case ValueKind::dyadic: return dyadic_value(rng_, dyadic_bits_, positive);
    case ValueKind::binade: case ValueKind::bits: case ValueKind::ties:
    case ValueKind::special: case ValueKind::zeros:
      return stateless(rng_, dtype_, kind_, positive);
  }
  throw_internal("bad ValueKind value");
}

double draw_value(SplitMix64& rng, DType dtype, ValueKind kind, bool positive) {
  ValueSource source(rng, dtype, kind, generic_consumer());
  source.start_tensor(Shape{});
  return source.next(positive);
}

}  // namespace tl::oracle
