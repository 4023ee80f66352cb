// Evaluating a contract on one element (DESIGN §2): the backend's value against what the reference
// knows — an enclosure of the real value and the strict meaning's value — under every contract kind.
// Verdicts are three-valued where the enclosure cannot decide: pass, fail, or undecided (never a
// guess). docs/oracle.md states the rules.
#pragma once

#include <mpfr.h>
#include <optional>
#include <string>
#include <string_view>

#include "spec/contract.h"

namespace tl::oracle {

enum class Verdict { pass, fail, unsupported, skipped, undecided };
std::string_view verdict_name(Verdict v);  // "pass", "FAIL", "unsupported", "skipped", "undecided"
// The verdict of several: FAIL beats undecided beats pass; skipped/unsupported only when all are.
Verdict combine(Verdict a, Verdict b);

struct ElementTruth {
  mpfr_srcptr lo = nullptr, hi = nullptr;  // enclosure of the real value (may be NaN or infinite)
  std::optional<double> strict;            // the strict meaning's value; nullopt when undecided
  std::optional<double> condition;         // sum/dot bounds: upper bound of the op on |finite inputs|
  int64_t terms = 1;                       // reduction length n (checking/terms.h)
  double scale = 0;                        // data scale S (checking/scales.h)
  bool finite_inputs = false;              // no input of the case is inf or NaN (verdict.cpp: strict NaN)
};

struct ElementOutcome {
  Verdict verdict = Verdict::pass;
  double ulp = 0;          // upper bound of the error in ulps at the real value (inf: wrong special)
  double ulp_lo = 0;       // lower bound: ulp - ulp_lo is how much the enclosure's width leaves open
  double utilisation = 0;  // error / budget of the contract (0 when the budget is bit-identity and it holds)
  bool correctly_rounded = false;  // equal to the real value rounded to nearest (decided)
  bool strict_bits = false;        // the strict meaning's bits
  std::string why;                 // for FAIL and undecided
};

ElementOutcome check_element(const Contract& c, DType dtype, double v, const ElementTruth& truth);

// gamma_n = n u / (1 - n u), u = 2^-p, rounded up; +inf when n u >= 1.
double gamma_n(int64_t n, DType dtype);

}  // namespace tl::oracle
