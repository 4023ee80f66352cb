// Judging one direction of one case (checking/check_op.cpp's internals, a header of its own to keep
// that file short): the reference's truth about a tensor the backend produced, and every element
// judged under the direction's contract — on two threads for large outputs — into a verdict, error
// statistics and the first bad element.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "checking/case_result.h"
#include "checking/verdict.h"
#include "reference/scalar_interval.h"
#include "reference/tensor.h"
#include "spec/error.h"
#include "spec/tensor.h"

namespace tl::oracle::judging {

// What the reference knows about one tensor the backend produced.
template <class T>
struct Truth {
  ref::RefTensor<ref::Interval> real;
  std::vector<std::optional<double>> strict;  // per element; nullopt where a rounding stayed undecided (empty: all)
  std::optional<std::vector<double>> condition;          // sum/dot bounds: the op on |finite inputs|, rounded up
  // Per element of the result: no input it depends on (nor y, g for a VJP) is inf or NaN — element i
  // of each operand for elementwise ops (an inf elsewhere in a large tensor does not change how
  // element i is judged), every input for the others.
  std::vector<char> finite_inputs;
};

struct Judged {
  DirectionResult result;
  int64_t bad = -1;
  ElementOutcome bad_outcome;
};

// The elements [begin, end) of one direction judged; `judged` counts those inside the precondition.
template <class T>
Judged judge_range(const Contract& contract, const HostTensor& v, const Truth<T>& truth, int64_t terms, double scale,
                   int64_t begin, int64_t end, int64_t& judged) {
  Judged j;
  DirectionResult& r = j.result;
  for (int64_t i = begin; i < end; ++i) {
    ElementTruth et;
    et.lo = &truth.real[i].raw()->left;
    et.hi = &truth.real[i].raw()->right;
    if (!truth.strict.empty()) et.strict = truth.strict[static_cast<std::size_t>(i)];
    if (truth.condition) et.condition = (*truth.condition)[static_cast<std::size_t>(i)];
    et.terms = terms;
    et.scale = scale;
    et.finite_inputs = truth.finite_inputs[static_cast<std::size_t>(i)] != 0;
    ElementOutcome o = check_element(contract, dtype_of<T>(), v.value_as_double(i), et);
    if (o.verdict == Verdict::skipped) {  // outside the contract's precondition: counted, not judged
      r.outside_precondition = true;
      continue;
    }
    ++judged;
    r.imprecise |= std::isfinite(o.ulp) && o.ulp - o.ulp_lo > 0.5;
    ErrorStats& st = r.stats;
    ++st.elements;
    st.correctly_rounded += o.correctly_rounded;
    st.strict_bits += o.strict_bits;
    ++st.hist[static_cast<std::size_t>(hist_bin(o.ulp))];
    if (o.ulp > st.max_ulp || (i == begin && st.worst.empty())) {
      st.max_ulp = std::max(st.max_ulp, o.ulp);
      st.worst = "element " + std::to_string(i) + ": backend " + hex_float(v.value_as_double(i)) + ", real " +
                 truth.real[i].str(17);
    }
    st.max_utilisation = std::max(st.max_utilisation, o.utilisation);
    Verdict before = r.verdict;
    r.verdict = combine(r.verdict, o.verdict);
    if (r.verdict != before && j.bad < 0) { j.bad = i; j.bad_outcome = o; }
    else if (o.verdict == Verdict::fail && j.bad >= 0 && j.bad_outcome.verdict != Verdict::fail) { j.bad = i; j.bad_outcome = o; }
  }
  return j;
}

// Element count from which a direction is judged on two threads (each element costs MPFR work; a
// 512×512 output is 2.6e5 of them).
constexpr int64_t kParallelJudgeElements = int64_t{1} << 15;

template <class T>
Judged judge(const Contract& contract, Direction dir, const HostTensor& v, const Truth<T>& truth, int64_t terms,
             double scale, bool applies) {
  if (!applies) {  // outside the derivation's precondition: counted, not judged
    Judged j;
    j.result.direction = dir;
    j.result.contract = contract;
    j.result.verdict = Verdict::skipped;
    j.result.outside_precondition = true;
    return j;
  }
  TL_CHECK_INTERNAL(v.shape() == truth.real.shape, "backend and reference shapes differ");
  const int64_t n = v.numel(), half = n >= kParallelJudgeElements ? n / 2 : n;
  int64_t judged = 0, judged_second = 0;
  Judged second;
  std::thread helper;
  if (half < n) helper = std::thread([&] { second = judge_range(contract, v, truth, terms, scale, half, n, judged_second); });
  Judged j = judge_range(contract, v, truth, terms, scale, 0, half, judged);
  if (helper.joinable()) {
    helper.join();
    DirectionResult& r = j.result;
    r.outside_precondition |= second.result.outside_precondition;
    r.imprecise |= second.result.imprecise;
    r.stats.add(second.result.stats);
    // The first element that fails, else the first that is undecided: as one pass would choose.
    const bool take_second = second.bad >= 0 && (j.bad < 0 || (second.bad_outcome.verdict == Verdict::fail &&
                                                                j.bad_outcome.verdict != Verdict::fail));
    if (take_second) { j.bad = second.bad; j.bad_outcome = second.bad_outcome; }
    r.verdict = combine(r.verdict, second.result.verdict);
    judged += judged_second;
  }
  j.result.direction = dir;
  j.result.contract = contract;
  if (judged == 0 && j.result.outside_precondition) j.result.verdict = Verdict::skipped;
  return j;
}

}  // namespace tl::oracle::judging
