// Interval arithmetic on MPFI and the real functions composed from it. Every function here returns
// an enclosure of the exact value; compositions are wider than single roundings but still sound,
// and Strict's Ziv loop narrows them by raising the precision.
#include "reference/scalar_interval.h"

#include <cmath>
#include <cstdio>
#include <utility>

#include "spec/error.h"

namespace tl::ref {
namespace {

thread_local mpfr_prec_t g_precision = 128;

Interval constant_sqrt_2_over_pi() {
  Interval c;
  mpfi_const_pi(c.raw());
  mpfi_ui_div(c.raw(), 2, c.raw());
  mpfi_sqrt(c.raw(), c.raw());
  return c;
}

Interval gelu_coefficient() {  // 0.044715 = 44715 / 10^6, enclosed exactly-rounded outward
  Interval a = Interval::from_int(44715);
  mpfi_div_ui(a.raw(), a.raw(), 1000000);
  return a;
}

Interval exp_of(const Interval& x) { Interval r; mpfi_exp(r.raw(), x.raw()); return r; }
Interval log_of(const Interval& x) { Interval r; mpfi_log(r.raw(), x.raw()); return r; }
Interval tanh_of(const Interval& x) { Interval r; mpfi_tanh(r.raw(), x.raw()); return r; }
Interval sqr_of(const Interval& x) { Interval r; mpfi_sqr(r.raw(), x.raw()); return r; }
Interval one() { return Interval::from_int(1); }
Interval half() { return Interval::from_double(0.5); }

Interval sigmoid_of(const Interval& x) {  // 1 / (1 + exp(-x)); MPFI keeps overflow sound
  Interval e = exp_of(-x);
  return one() / (one() + e);
}

// log(1 + exp(x)) evaluated in the form that cannot overflow for the branch x is on.
Interval softplus_of(const Interval& x) {
  Interval r;
  if (mpfr_sgn(&x.raw()->left) >= 0) {  // x >= 0: x + log1p(exp(-x))
    mpfi_log1p(r.raw(), exp_of(-x).raw());
    return x + r;
  }
  mpfi_log1p(r.raw(), exp_of(x).raw());  // x may be < 0 or straddle 0 (bounded above by hi)
  if (mpfr_sgn(&x.raw()->right) > 0) {
    Interval alt;
    mpfi_log1p(alt.raw(), exp_of(-x).raw());
    return hull(r, x + alt);  // both forms enclose the same value; the hull stays sound
  }
  return r;
}

// gelu(x) = x/2 (1 + tanh u) with u = sqrt(2/pi) (x + 0.044715 x^3), evaluated as x * sigmoid(2u)
// (the same function): no cancellation in 1 + tanh u for negative x, so enclosures stay tight.
// With `grad`: gelu'(x) = sigmoid(2u) + 2 x u' sigmoid'(2u), u' = sqrt(2/pi) (1 + 3 * 0.044715 x^2).
Interval gelu_of(const Interval& x, Interval* grad) {
  // Far left, gelu'(x) = s (1 + 2x u'(1 - s)) is negative and below 2^-2800 in magnitude (z <= -1974,
  // s <= e^z, the bracket only polynomial), beyond MPFR's exponent range to compute directly: the
  // enclosure [-2^-1100, -0] keeps its sign, so it rounds to -0 in both dtypes as the real value does.
  if (grad && mpfr_cmp_si(&x.raw()->right, -30) <= 0) {
    mpfr_set_si_2exp(&grad->raw()->left, -1, -1100, MPFR_RNDD);
    mpfr_set_zero(&grad->raw()->right, -1);
    grad = nullptr;
  }
  Interval c = constant_sqrt_2_over_pi();
  Interval a = gelu_coefficient();
  Interval x2 = sqr_of(x);
  Interval two_u = Interval::from_int(2) * c * (x + a * x2 * x);
  Interval s = sigmoid_of(two_u);
  if (grad) {
    Interval du = c * (one() + Interval::from_int(3) * a * x2);
    *grad = s + Interval::from_int(2) * x * du * apply(RealFn::sigmoid_grad, two_u);
  }
  return x * s;
}

// sqrt_grad's convention: 0 for x <= 0; an interval straddling 0 gets the hull of both branches.
Interval sqrt_grad_of(const Interval& x) {
  if (mpfr_sgn(&x.raw()->right) <= 0) return Interval();
  Interval r;
  mpfi_sqrt(r.raw(), x.raw());
  mpfi_mul_ui(r.raw(), r.raw(), 2);
  mpfi_inv(r.raw(), r.raw());
  if (mpfr_sgn(&x.raw()->left) <= 0) return hull(Interval(), r);
  return r;
}

}  // namespace

mpfr_prec_t Interval::precision() { return g_precision; }

IntervalPrecision::IntervalPrecision(mpfr_prec_t bits) : saved_(g_precision) {
  TL_CHECK_INTERNAL(bits >= 2, "interval precision too small");
  g_precision = bits;
}
IntervalPrecision::~IntervalPrecision() { g_precision = saved_; }

Interval::Interval() {
  mpfi_init2(v_, g_precision);
  mpfi_set_ui(v_, 0);
}

Interval Interval::from_double(double x) {
  Interval r;
  mpfi_set_d(r.v_, x);  // exact when the precision is at least 53 bits
  return r;
}

Interval Interval::from_int(int64_t n) {
  Interval r;
  mpfi_set_si(r.v_, static_cast<long>(n));
  return r;
}

Interval Interval::hull_of(double lo, double hi) {
  Interval r;
  mpfi_interv_d(r.v_, lo, hi);
  return r;
}

Interval::Interval(const Interval& other) {
  mpfi_init2(v_, mpfi_get_prec(other.v_));
  mpfi_set(v_, other.v_);
}

Interval::Interval(Interval&& other) noexcept {
  mpfi_init2(v_, mpfi_get_prec(other.v_));
  mpfi_swap(v_, other.v_);
}

Interval& Interval::operator=(const Interval& other) {
  if (this != &other) {
    mpfi_set_prec(v_, mpfi_get_prec(other.v_));
    mpfi_set(v_, other.v_);
  }
  return *this;
}

Interval& Interval::operator=(Interval&& other) noexcept {
  mpfi_swap(v_, other.v_);
  return *this;
}

Interval::~Interval() { mpfi_clear(v_); }

bool Interval::is_point() const { return mpfr_equal_p(&v_->left, &v_->right) != 0; }
bool Interval::has_nan() const { return mpfi_nan_p(v_) != 0; }
double Interval::lower() const { return mpfr_get_d(&v_->left, MPFR_RNDD); }
double Interval::upper() const { return mpfr_get_d(&v_->right, MPFR_RNDU); }

std::string Interval::str(int digits) const {
  // MPFI writes the exact 0 as [+0, -0]; the reals have no signed zero, so show "0".
  auto endpoint = [&](mpfr_srcptr x, const char* format) {
    if (mpfr_zero_p(x)) return std::string("0");
    char buf[128];
    mpfr_snprintf(buf, sizeof buf, format, digits, x);
    return std::string(buf);
  };
  return "[" + endpoint(&v_->left, "%.*RDg") + ", " + endpoint(&v_->right, "%.*RUg") + "]";
}

Interval operator+(const Interval& a, const Interval& b) { Interval r; mpfi_add(r.raw(), a.raw(), b.raw()); return r; }
Interval operator-(const Interval& a, const Interval& b) { Interval r; mpfi_sub(r.raw(), a.raw(), b.raw()); return r; }
Interval operator*(const Interval& a, const Interval& b) { Interval r; mpfi_mul(r.raw(), a.raw(), b.raw()); return r; }
Interval operator/(const Interval& a, const Interval& b) { Interval r; mpfi_div(r.raw(), a.raw(), b.raw()); return r; }
Interval operator-(const Interval& a) { Interval r; mpfi_neg(r.raw(), a.raw()); return r; }

Interval fma(const Interval& a, const Interval& b, const Interval& c) { return a * b + c; }

IntervalDot::IntervalDot() {
  mpfr_inits2(g_precision, lo_, hi_, tmp_, product_, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_zero(lo_, 1);
  mpfr_set_zero(hi_, 1);
}

IntervalDot::~IntervalDot() { mpfr_clears(lo_, hi_, tmp_, product_, static_cast<mpfr_ptr>(nullptr)); }

void IntervalDot::leave_exact_mode() {
  if (!exact_) return;
  mpfr_set(hi_, lo_, MPFR_RNDN);  // exact copy (same precision)
  exact_ = false;
}

void IntervalDot::add(const Interval& a, const Interval& b) {
  mpfi_srcptr x = a.raw(), y = b.raw();
  bool a_point = mpfr_equal_p(&x->left, &x->right), b_point = mpfr_equal_p(&y->left, &y->right);
  if ((a_point && mpfr_zero_p(&x->left)) || (b_point && mpfr_zero_p(&y->left))) return;
  if (a_point && b_point && mpfr_mul(product_, &x->left, &y->left, MPFR_RNDN) == 0) {
    if (exact_) {
      if (mpfr_add(tmp_, lo_, product_, MPFR_RNDN) == 0) {
        mpfr_swap(lo_, tmp_);
        return;
      }
      leave_exact_mode();
    }
    mpfr_add(lo_, lo_, product_, MPFR_RNDD);
    mpfr_add(hi_, hi_, product_, MPFR_RNDU);
    return;
  }
  leave_exact_mode();
  if (a_point || b_point) {
    // [l, h] * p: the bounds are l*p and h*p, swapped when p < 0; each rounded outward.
    mpfi_srcptr v = b_point ? x : y;
    mpfr_srcptr p = b_point ? &y->left : &x->left;
    bool negative = mpfr_sgn(p) < 0;
    if (!mpfr_nan_p(&v->left) && !mpfr_nan_p(&v->right) && mpfr_number_p(p)) {
      mpfr_mul(product_, negative ? &v->right : &v->left, p, MPFR_RNDD);
      mpfr_add(lo_, lo_, product_, MPFR_RNDD);
      mpfr_mul(product_, negative ? &v->left : &v->right, p, MPFR_RNDU);
      mpfr_add(hi_, hi_, product_, MPFR_RNDU);
      return;
    }
  }
  thread_local Interval scratch;
  if (mpfi_get_prec(scratch.raw()) != g_precision) mpfi_set_prec(scratch.raw(), g_precision);
  mpfi_mul(scratch.raw(), x, y);
  mpfr_add(lo_, lo_, &scratch.raw()->left, MPFR_RNDD);
  mpfr_add(hi_, hi_, &scratch.raw()->right, MPFR_RNDU);
}

Interval IntervalDot::result() const {
  Interval r;
  mpfi_interv_fr(r.raw(), lo_, exact_ ? lo_ : hi_);
  return r;
}

void add_to(Interval& acc, const Interval& x) { mpfi_add(acc.raw(), acc.raw(), x.raw()); }

Cmp compare(const Interval& a, const Interval& b) {
  if (a.has_nan() || b.has_nan()) return Cmp::unknown;
  if (mpfr_less_p(&a.raw()->right, &b.raw()->left)) return Cmp::less;
  if (mpfr_greater_p(&a.raw()->left, &b.raw()->right)) return Cmp::greater;
  if (a.is_point() && b.is_point()) return Cmp::equal;  // overlapping points are equal
  return Cmp::unknown;
}

Interval hull(const Interval& a, const Interval& b) {
  Interval r;
  mpfi_union(r.raw(), a.raw(), b.raw());
  return r;
}

bool is_nan(const Interval& x) { return x.has_nan(); }

std::optional<int64_t> as_index(const Interval& x) {
  if (!x.is_point() || x.has_nan() || !mpfr_integer_p(&x.raw()->left)) return std::nullopt;
  if (!mpfr_fits_slong_p(&x.raw()->left, MPFR_RNDN)) return std::nullopt;
  return static_cast<int64_t>(mpfr_get_si(&x.raw()->left, MPFR_RNDN));
}

Interval apply(RealFn f, const Interval& x, double param) {
  Interval r;
  switch (f) {
    case RealFn::sqrt: mpfi_sqrt(r.raw(), x.raw()); return r;
    case RealFn::rsqrt: mpfi_sqrt(r.raw(), x.raw()); mpfi_inv(r.raw(), r.raw()); return r;
    case RealFn::exp: return exp_of(x);
    case RealFn::log: return log_of(x);
    case RealFn::sin: mpfi_sin(r.raw(), x.raw()); return r;
    case RealFn::cos: mpfi_cos(r.raw(), x.raw()); return r;
    case RealFn::tanh: return tanh_of(x);
    case RealFn::sigmoid: return sigmoid_of(x);
    case RealFn::gelu: return gelu_of(x, nullptr);
    case RealFn::softplus: return softplus_of(x);
    case RealFn::safe_log: return log_of(softplus_of(x) + Interval::from_double(param));
    case RealFn::sqrt_grad: return sqrt_grad_of(x);
    case RealFn::rsqrt_grad: {  // -(1/2) x^(-3/2)
      mpfi_sqrt(r.raw(), x.raw());
      r = r * x;
      mpfi_inv(r.raw(), r.raw());
      return -(half() * r);
    }
    case RealFn::log_grad: mpfi_inv(r.raw(), x.raw()); return r;
    case RealFn::reciprocal_grad: mpfi_inv(r.raw(), sqr_of(x).raw()); return -r;
    case RealFn::sin_grad: mpfi_cos(r.raw(), x.raw()); return r;
    case RealFn::cos_grad: mpfi_sin(r.raw(), x.raw()); return -r;
    case RealFn::tanh_grad:  // 1 - tanh^2 = sech^2, without cancellation for large |x|
      mpfi_sech(r.raw(), x.raw());
      return sqr_of(r);
    case RealFn::sigmoid_grad: {
      // s(1-s) = e / (1+e)^2 with e = exp(-|x|) <= 1 (the function is even): no overflow.
      Interval abs_x;
      mpfi_abs(abs_x.raw(), x.raw());
      Interval e = exp_of(-abs_x);
      return e / sqr_of(one() + e);
    }
    case RealFn::gelu_grad: gelu_of(x, &r); return r;
    case RealFn::softplus_grad: return sigmoid_of(x);
    case RealFn::safe_log_grad: return sigmoid_of(x) / (softplus_of(x) + Interval::from_double(param));
  }
  throw_internal("bad RealFn value");
}

}  // namespace tl::ref
