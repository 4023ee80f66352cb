// RefTensor<S>: the reference's tensor — a shape and row-major scalars. No views, no strides tricks:
// every op builds a fresh tensor, as a spec would.
#pragma once

#include <optional>
#include <vector>

#include "spec/graph.h"
#include "spec/tensor.h"

namespace tl::ref {

template <class S>
struct RefTensor {
  Shape shape;
  std::vector<S> v;

  RefTensor() = default;
  explicit RefTensor(Shape s) : shape(std::move(s)), v(static_cast<std::size_t>(shape.numel())) {}
  int64_t numel() const { return shape.numel(); }
  S& operator[](int64_t i) { return v[static_cast<std::size_t>(i)]; }
  const S& operator[](int64_t i) const { return v[static_cast<std::size_t>(i)]; }
};

// The inputs of one op, and the gradients of its inputs (nullopt: that input gets none).
template <class S> using Inputs = std::vector<const RefTensor<S>*>;
template <class S> using Grads = std::vector<std::optional<RefTensor<S>>>;

// Exact conversion of a host tensor (each element becomes S::from_double).
template <class S>
RefTensor<S> from_host(const HostTensor& t) {
  RefTensor<S> r(t.shape());
  for (int64_t i = 0; i < t.numel(); ++i) r[i] = S::from_double(t.value_as_double(i));
  return r;
}

// Zeros (+0) of a shape.
template <class S>
RefTensor<S> zeros(const Shape& s) {
  RefTensor<S> r(s);
  for (auto& x : r.v) x = S::from_int(0);
  return r;
}

}  // namespace tl::ref
