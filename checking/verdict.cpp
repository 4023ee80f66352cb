// Contract evaluation per element: one switch over ContractKind, no default.
#include "checking/verdict.h"

#include <cmath>
#include <limits>

#include "checking/ulp.h"
#include "reference/rounding.h"
#include "spec/error.h"
#include "spec/tensor.h"

namespace tl::oracle {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The real value is undefined or infinite: NaN, or both ends infinite ([inf, inf], or [-inf, inf]
// as MPFI gives for 1/0). One infinite end and one finite end is only a wide enclosure.
bool enclosure_is_special(const ElementTruth& t) {
  if (mpfr_nan_p(t.lo) || mpfr_nan_p(t.hi)) return true;
  return mpfr_inf_p(t.lo) && mpfr_inf_p(t.hi);
}


// The real value is undefined or infinite: only the strict meaning's special value can judge.
ElementOutcome check_special(const Contract& c, double v, const ElementTruth& t) {
  ElementOutcome out;
  if (!t.strict) {
    out.verdict = Verdict::undecided;
    out.why = "real value non-finite and strict value undecided";
    return out;
  }
  out.strict_bits = same_bits(v, *t.strict);
  bool ok = c.kind == ContractKind::strict ? out.strict_bits : special_match(v, *t.strict);
  out.correctly_rounded = special_match(v, *t.strict);
  out.ulp = ok ? 0 : kInf;
  out.utilisation = ok ? 0 : kInf;
  out.verdict = ok ? Verdict::pass : Verdict::fail;
  if (!ok) out.why = "special value: backend " + hex_float(v) + ", strict meaning " + hex_float(*t.strict);
  return out;
}

// Three-valued comparison of an error range with a budget.
Verdict within(UlpError e, double budget, double& utilisation) {
  utilisation = budget > 0 ? e.hi / budget : (e.hi > 0 ? kInf : 0);
  if (e.hi <= budget) return Verdict::pass;
  if (e.lo > budget) return Verdict::fail;
  return Verdict::undecided;
}

Verdict check_rounded(double v, const ref::Rounding& r, UlpError e, double& utilisation) {
  utilisation = e.hi / 0.5;
  if (r.decided) return v == r.value ? Verdict::pass : Verdict::fail;  // ±0 are one real number
  return e.lo > 0.5 ? Verdict::fail : Verdict::undecided;
}

double bound_budget(const Contract& c, const ElementTruth& t) {
  return c.ulps + c.ulps_per_term * static_cast<double>(t.terms);
}

// Absolute bound gamma_n * condition + n * (smallest subnormal), rounded up.
double sum_bound(DType d, const ElementTruth& t) {
  double tiny = d == DType::f32 ? 0x1p-149 : 0x1p-1074;
  double b = gamma_n(t.terms, d) * (*t.condition) * (1 + 0x1p-50) + static_cast<double>(t.terms) * tiny;
  return std::nextafter(b, kInf);
}

// The value against the enclosure of the real result (and the strict value) under contract c: the
// ulp error, whether it is correctly rounded or the strict bits, and the verdict with its utilisation.
ElementOutcome judge_against_enclosure(const Contract& c, DType d, double v, const ElementTruth& t) {
  ElementOutcome out;  // a one-sided infinite enclosure gives error ranges [.., inf]: undecided unless
                       // the value is an infinity the whole enclosure rounds to
  UlpError e = ulp_error(v, t.lo, t.hi, d);
  ref::Rounding r = ref::round_enclosure(t.lo, t.hi, d);
  out.ulp = e.hi;
  out.ulp_lo = e.lo;
  out.correctly_rounded = r.decided && v == r.value && !std::isnan(v);
  out.strict_bits = t.strict && same_bits(v, *t.strict);
  switch (c.kind) {
    case ContractKind::exact: case ContractKind::correctly_rounded:
      out.verdict = check_rounded(v, r, e, out.utilisation);
      // exact means bit-identical: the sign of a zero result is the strict meaning's.
      if (c.kind == ContractKind::exact && out.verdict == Verdict::pass && v == 0 && t.strict && !out.strict_bits)
        out.verdict = Verdict::fail;
      break;
    case ContractKind::strict:
      out.verdict = !t.strict ? Verdict::undecided : (out.strict_bits ? Verdict::pass : Verdict::fail);
      out.utilisation = out.strict_bits ? 0 : kInf;
      break;
    case ContractKind::ulp: case ContractKind::derived: case ContractKind::empirical: {
      double floor = std::max(c.magnitude_floor, c.data_scale ? t.scale : 0.0);
      UlpError scaled = floor > 0 ? ulp_error(v, t.lo, t.hi, d, floor) : e;
      out.verdict = within(scaled, bound_budget(c, t), out.utilisation);
      break;
    }
    case ContractKind::sum_bound: case ContractKind::dot_bound:
      if (!t.condition) {
        out.verdict = Verdict::undecided;
        out.utilisation = kInf;
      } else if (!std::isfinite(v)) {  // right only where the enclosure overflows to it
        out.verdict = within(e, 0, out.utilisation);
      } else {
        out.verdict = within(abs_error(v, t.lo, t.hi), sum_bound(d, t), out.utilisation);
      }
      break;
    case ContractKind::unsupported:
      throw_internal("unsupported contract reached the element check");
  }
  return out;
}

}  // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "FAIL";
    case Verdict::unsupported: return "unsupported";
    case Verdict::skipped: return "skipped";
    case Verdict::undecided: return "undecided";
  }
  throw_internal("bad Verdict value");
}

Verdict combine(Verdict a, Verdict b) {
  auto rank = [](Verdict v) {
    switch (v) {
      case Verdict::fail: return 4;
      case Verdict::undecided: return 3;
      case Verdict::pass: return 2;
      case Verdict::skipped: return 1;
      case Verdict::unsupported: return 0;
    }
    throw_internal("bad Verdict value");
  };
  return rank(a) >= rank(b) ? a : b;
}

double gamma_n(int64_t n, DType d) {
  double u = d == DType::f32 ? 0x1p-24 : 0x1p-53;
  double nu = static_cast<double>(n) * u;
  if (nu >= 1) return kInf;
  return std::nextafter(std::nextafter(nu / (1 - nu), kInf), kInf);  // two roundings, each up
}

ElementOutcome check_element(const Contract& c, DType d, double v, const ElementTruth& t) {
  if (c.kind == ContractKind::unsupported) {
    ElementOutcome none;
    none.verdict = Verdict::unsupported;
    return none;
  }
  // A sum/dot bound holds in any order only while no partial sum overflows; n * (op on |finite
  // inputs|) bounds every partial sum of the finite terms, so beyond the largest float the contract
  // claims nothing about the element — not even its special value: [-max, inf, -max] is inf as a
  // left fold but NaN in a tree that adds -max + -max first.
  bool may_overflow = t.condition && *t.condition * static_cast<double>(t.terms) > dtype_max_finite(d);
  if ((c.kind == ContractKind::sum_bound || c.kind == ContractKind::dot_bound) && may_overflow) {
    ElementOutcome skip;
    skip.verdict = Verdict::skipped;
    skip.why = "outside the precondition of " + contract_text(c);
    return skip;
  }
  // Where the real value is undefined or infinite, the strict special value judges; so it does where
  // the strict meaning is NaN from a non-finite input (0 * inf: MPFI says 0, IEEE says NaN). With
  // finite inputs a NaN strict value means its order overflowed an intermediate (rsqrt'(x) =
  // -x^(-3/2)/2 is inf for tiny x, times g = 0) while the real value is finite: a NaN from the
  // backend matches the strict meaning, and any other value is judged against the real one
  // (non-strict contracts).
  if (enclosure_is_special(t)) return check_special(c, v, t);
  bool strict_nan = t.strict && std::isnan(*t.strict);
  if (strict_nan && (!t.finite_inputs || std::isnan(v) || c.kind == ContractKind::strict)) return check_special(c, v, t);
  ElementOutcome out = judge_against_enclosure(c, d, v, t);
  if (out.verdict == Verdict::fail) out.why = "outside " + contract_text(c);
  if (out.verdict == Verdict::skipped) out.why = "outside the precondition of " + contract_text(c);
  if (out.verdict == Verdict::undecided) out.why = "enclosure too wide to decide " + contract_text(c);
  return out;
}

}  // namespace tl::oracle
