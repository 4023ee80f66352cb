// Bit-for-bit comparison of a backend's tensor with the strict meaning's, for the agreement tests of
// every backend (tests/fast, tests/cuda): which contract rows promise it, and the comparison itself
// (same shape; same bits element by element, any NaN matching any NaN).
#pragma once

#include <cstring>
#include <string>

#include "spec/contract.h"
#include "spec/tensor.h"

namespace tl::testing {

// Rows of a contract table that promise bit-identity with the strict meaning.
inline bool bit_exact_kind(const Contract& c) {
  return c.kind == ContractKind::exact || c.kind == ContractKind::correctly_rounded || c.kind == ContractKind::strict;
}

// Same bits, any NaN matching any NaN.
template <class T> bool same_value_bits(T x, T y) { return (x != x && y != y) || std::memcmp(&x, &y, sizeof(T)) == 0; }

// How many elements of two tensors of one shape differ in their bits (same_value_bits).
template <class T> int64_t differing_elements(const HostTensor& a, const HostTensor& b) {
  int64_t n = 0;
  for (int64_t i = 0; i < a.numel(); ++i)
    n += !same_value_bits(a.values<T>()[static_cast<std::size_t>(i)], b.values<T>()[static_cast<std::size_t>(i)]);
  return n;
}

// True when `got` has the strict tensor's shape and bits; else `where` names the first difference.
template <class T>
bool same_bits(const HostTensor& got, const HostTensor& strict, std::string& where) {
  if (!(got.shape() == strict.shape())) {
    where = "shape " + got.shape().str() + " vs " + strict.shape().str();
    return false;
  }
  for (int64_t i = 0; i < got.numel(); ++i) {
    T x = got.values<T>()[static_cast<std::size_t>(i)], y = strict.values<T>()[static_cast<std::size_t>(i)];
    if (same_value_bits(x, y)) continue;
    where = "element " + std::to_string(i) + ": backend " + hex_float(x) + " strict " + hex_float(y);
    return false;
  }
  return true;
}

}  // namespace tl::testing
