// Strict<T>: the *strict IEEE* meaning for T = float or double. + - * / sqrt and fma are native IEEE
// operations (this target is compiled with -ffp-contract=off, so each is rounded once, to nearest
// even, subnormals kept); every other real function is correctly rounded from an Interval enclosure
// by a Ziv loop. A rounding that stays undecided at the precision cap throws UndecidedRounding —
// a distinct result, never a guess. Special values follow docs/special-values.md.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "reference/real_fn.h"

namespace tl::ref {

class UndecidedRounding : public std::runtime_error {
 public:
  explicit UndecidedRounding(const std::string& message) : std::runtime_error(message) {}
};

template <class T>
struct Strict {
  T v;

  static Strict from_double(double x) { return {static_cast<T>(x)}; }  // exact for graph values
  static Strict from_int(int64_t n) { return {static_cast<T>(n)}; }
  std::string str() const;

  friend Strict operator+(Strict a, Strict b) { return {a.v + b.v}; }
  friend Strict operator-(Strict a, Strict b) { return {a.v - b.v}; }
  friend Strict operator*(Strict a, Strict b) { return {a.v * b.v}; }
  friend Strict operator/(Strict a, Strict b) { return {a.v / b.v}; }
  friend Strict operator-(Strict a) { return {-a.v}; }
};

template <class T> Strict<T> fma(Strict<T> a, Strict<T> b, Strict<T> c);
template <class T> void add_product(Strict<T>& acc, Strict<T> a, Strict<T> b) { acc = fma(a, b, acc); }
template <class T> void add_to(Strict<T>& acc, Strict<T> x) { acc = acc + x; }
template <class T> Cmp compare(Strict<T> a, Strict<T> b);   // NaN compares unknown
template <class T> Strict<T> hull(Strict<T> a, Strict<T> b);  // only NaN reaches it: NaN
template <class T> Strict<T> apply(RealFn f, Strict<T> x, double param = 0.0);
template <class T> std::optional<int64_t> as_index(Strict<T> x);
template <class T> bool is_nan(Strict<T> x) { return x.v != x.v; }

extern template struct Strict<float>;
extern template struct Strict<double>;

}  // namespace tl::ref
