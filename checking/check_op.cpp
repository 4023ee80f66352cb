// Local checking of one op case against the reference (Interval for the real meaning, Strict<T> for
// the strict meaning).
#include "checking/check_op.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "checking/backend_failures.h"
#include "checking/judge.h"
#include "checking/scales.h"
#include "checking/terms.h"
#include "reference/eval.h"
#include "reference/vjp_output_use.h"
#include "spec/error.h"

namespace tl::oracle {
namespace {

using ref::Interval;
using judging::Judged;
using judging::Truth;
using judging::judge;

// Working precisions of the real meaning: 128 bits first, more only where a verdict is undecided or
// an error is known only to within more than half an ulp (sums spanning many binades need about
// 2 100 bits to be exact in float64).
constexpr mpfr_prec_t kPrecisions[] = {128, 512, 4096};

std::vector<char> finite_inputs_of(const Node& node, const std::vector<const HostTensor*>& tensors, int64_t results) {
  bool elementwise = op_has(node.op, kElementwise);
  for (const HostTensor* t : tensors) elementwise = elementwise && t->numel() == results;
  std::vector<char> out(static_cast<std::size_t>(results), 1);
  for (const HostTensor* t : tensors)
    for (int64_t i = 0; i < t->numel(); ++i) {
      if (std::isfinite(t->value_as_double(i))) continue;
      if (!elementwise) return std::vector<char>(static_cast<std::size_t>(results), 0);
      out[static_cast<std::size_t>(i)] = 0;
    }
  return out;
}

bool has_precondition(const Contract& c) {
  return c.kind == ContractKind::derived || c.kind == ContractKind::empirical;
}

bool needs_condition(const Contract& c) {
  return c.kind == ContractKind::sum_bound || c.kind == ContractKind::dot_bound;
}

// absolute: |v| for the sum/dot bounds' condition, with non-finite values counted as 0, so the
// condition bounds the partial sums of the finite terms (whose overflow, in an order other than the
// strict one, can turn an infinite result into NaN: verdict.cpp).
template <class S> ref::RefTensor<S> convert(const HostTensor& t, bool absolute) {
  ref::RefTensor<S> r(t.shape());
  for (int64_t i = 0; i < t.numel(); ++i) {
    double v = t.value_as_double(i);
    v = absolute ? (std::isfinite(v) ? std::fabs(v) : 0.0) : v;
    if constexpr (std::is_same_v<S, Interval>) mpfi_set_d(r[i].raw(), v);  // in place: as from_double, one allocation fewer
    else r[i] = S::from_double(v);
  }
  return r;
}

// The tensors as the reference's scalars; the tensor at position `unread` keeps only its shape (the
// op's reference VJP never touches it: ref::vjp_takes_output).
template <class S> struct RefArgs {
  std::vector<ref::RefTensor<S>> owned;
  ref::Inputs<S> ptrs;
  RefArgs(const std::vector<const HostTensor*>& in, bool absolute, std::size_t unread = SIZE_MAX) {
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (i == unread) {
        owned.emplace_back();
        owned.back().shape = in[i]->shape();
      } else {
        owned.push_back(convert<S>(*in[i], absolute));
      }
    }
    for (const auto& t : owned) ptrs.push_back(&t);
  }
};


std::vector<double> uppers(const ref::RefTensor<Interval>& t) {
  std::vector<double> out;
  for (const auto& x : t.v) out.push_back(x.upper());
  return out;
}

template <class T>
std::vector<std::optional<double>> values_of(const ref::RefTensor<ref::Strict<T>>& t) {
  std::vector<std::optional<double>> out;
  for (const auto& x : t.v) out.emplace_back(static_cast<double>(x.v));
  return out;
}

// Element i of every tensor (an elementwise op's operands all have one shape) as shape-[1] tensors.
std::vector<HostTensor> element_slice(const std::vector<const HostTensor*>& all, int64_t i) {
  std::vector<HostTensor> out;
  for (const HostTensor* t : all) {
    HostTensor one(t->dtype(), Shape{1});
    if (t->dtype() == DType::f32) one.values<float>()[0] = t->values<float>()[static_cast<std::size_t>(i)];
    else one.values<double>()[0] = t->values<double>()[static_cast<std::size_t>(i)];
    out.push_back(std::move(one));
  }
  return out;
}

// Per output of a strict evaluation (the forward output, or each input's gradient), the values by
// element; an empty vector for an input that gets no gradient, or where a rounding stayed undecided.
using StrictValues = std::vector<std::vector<std::optional<double>>>;

// The strict meaning's forward output (vjp false) or every input's gradient (vjp true; `all` ends
// with y and g), evaluated once per case: it does not depend on the enclosures' precision. When one
// element's rounding stays undecided the whole evaluation throws; for elementwise ops every element
// is then evaluated on its own, so only the undecided ones lack a value.
template <class T>
StrictValues strict_values(const Node& node, const std::vector<const HostTensor*>& all, bool vjp) {
  using S = ref::Strict<T>;
  auto evaluate = [&](const std::vector<const HostTensor*>& args) {
    RefArgs<S> a(args, false);
    if (!vjp) return ref::Grads<S>{ref::forward_op<S>(node, a.ptrs, "reference")};
    ref::Inputs<S> xs(a.ptrs.begin(), a.ptrs.end() - 2);
    return ref::vjp_op<S>(node, xs, a.owned[args.size() - 2], a.owned[args.size() - 1], "reference");
  };
  std::size_t outputs = vjp ? all.size() - 2 : 1;
  StrictValues out(outputs);
  try {
    ref::Grads<S> whole = evaluate(all);
    for (std::size_t k = 0; k < outputs; ++k) {
      if (whole[k]) out[k] = values_of<T>(*whole[k]);
    }
    return out;
  } catch (const ref::UndecidedRounding&) {
    if (!op_has(node.op, kElementwise) || all.empty()) return out;
  }
  for (int64_t i = 0; i < all[0]->numel(); ++i) {
    std::vector<HostTensor> one = element_slice(all, i);
    std::vector<const HostTensor*> ptrs;
    for (const HostTensor& t : one) ptrs.push_back(&t);
    std::optional<ref::Grads<S>> r;
    try {
      r = evaluate(ptrs);
    } catch (const ref::UndecidedRounding&) {
    }
    for (std::size_t k = 0; k < outputs; ++k) {
      if (!r || (*r)[k]) out[k].push_back(r ? std::optional(static_cast<double>((*(*r)[k])[0].v)) : std::nullopt);
    }
  }
  return out;
}

template <class T>
Truth<T> forward_truth(const Node& node, const std::vector<const HostTensor*>& in, bool condition,
                       const StrictValues& strict) {
  Truth<T> t;
  RefArgs<Interval> real(in, false);
  t.real = ref::forward_op<Interval>(node, real.ptrs, "reference");
  t.strict = strict[0];
  t.finite_inputs = finite_inputs_of(node, in, t.real.numel());
  if (condition) {
    RefArgs<Interval> abs(in, true);
    t.condition = uppers(ref::forward_op<Interval>(node, abs.ptrs, "reference"));
  }
  return t;
}

// Reference VJPs of every input, with the backend's y and the given g (`all` = inputs, y, g).
template <class T>
std::vector<std::optional<Truth<T>>> vjp_truth(const Node& node, const std::vector<const HostTensor*>& all,
                                               const std::vector<bool>& condition, const StrictValues& strict) {
  std::size_t n = all.size() - 2;
  const std::size_t unread = ref::vjp_takes_output(node.op) ? SIZE_MAX : n;  // y is all[n]
  RefArgs<Interval> real(all, false, unread);
  ref::Inputs<Interval> rin(real.ptrs.begin(), real.ptrs.end() - 2);
  ref::Grads<Interval> dr = ref::vjp_op<Interval>(node, rin, real.owned[n], real.owned[n + 1], "reference");
  std::optional<ref::Grads<Interval>> dc;
  for (bool c : condition) {
    if (!c || dc) continue;
    RefArgs<Interval> abs(all, true, unread);
    ref::Inputs<Interval> ain(abs.ptrs.begin(), abs.ptrs.end() - 2);
    dc = ref::vjp_op<Interval>(node, ain, abs.owned[n], abs.owned[n + 1], "reference");
  }
  // A y the VJP does not read is no input of it: an infinite one (1/x beyond MAX) says nothing about
  // the VJP's specials.
  std::vector<const HostTensor*> read = all;
  if (!ref::vjp_reads_output(node.op)) read.erase(read.begin() + static_cast<std::ptrdiff_t>(n));
  std::vector<std::optional<Truth<T>>> out(n);
  for (std::size_t k = 0; k < n; ++k) {
    if (!dr[k]) continue;
    out[k] = Truth<T>{*dr[k], strict[k], dc && (*dc)[k] ? std::optional(uppers(*(*dc)[k])) : std::nullopt,
                      finite_inputs_of(node, read, dr[k]->numel())};
  }
  return out;
}

std::string enclosure_text(const Interval& x) { return x.str(40); }

template <class T>
void attach_discrepancy(Judged& j, const backend::Backend& b, const OpCase& c, const std::optional<HostTensor>& g,
                        const HostTensor& v, const Truth<T>& truth, const CaseOptions& opt) {
  if (j.bad < 0) return;
  Discrepancy d;
  d.backend = b.name();
  d.op_case = c;
  d.seed = g;
  d.direction = j.result.direction;
  d.element = j.bad;
  d.value = v.value_as_double(j.bad);
  d.enclosure = enclosure_text(truth.real[j.bad]);
  if (!truth.strict.empty()) d.strict = truth.strict[static_cast<std::size_t>(j.bad)];
  d.ulp = j.bad_outcome.ulp;
  d.contract = j.result.contract;
  d.verdict = j.bad_outcome.verdict;
  d.why = j.bad_outcome.why;
  d.case_seed = opt.case_seed;
  d.value_kind = opt.value_kind;
  j.result.discrepancy = std::move(d);
}

HostTensor upstream_gradient(const Node& node, uint64_t seed) {
  SplitMix64 rng(seed ^ 0x9e3779b97f4a7c15ull);
  HostTensor g(node.dtype, node.shape);
  for (int64_t i = 0; i < g.numel(); ++i) {
    double v = std::ldexp(static_cast<double>(rng.below(1 << 12)), -11) - 1.0;
    g.set_from_double(i, v);
  }
  return g;
}

template <class T>
void check_vjps(backend::Backend& b, const OpCase& c, const std::vector<const HostTensor*>& in, const HostTensor& y,
                const CaseOptions& opt, CaseResult& out) {
  const Node& node = c.graph.node(c.graph.outputs[0].node);
  HostTensor g = opt.given_upstream ? *opt.given_upstream : upstream_gradient(node, opt.case_seed);
  std::vector<Contract> contracts;
  std::vector<bool> cond;
  for (std::size_t k = 0; k < in.size(); ++k) {
    contracts.push_back(b.contract(node.op, node.dtype, {static_cast<int>(k)}));
    cond.push_back(needs_condition(contracts.back()));
  }
  backend::MaybeTensors grads;
  auto fail_all = [&](const std::string& message, bool undecided) {
    for (std::size_t k = 0; k < in.size(); ++k) {
      if (op_input_gets_grad(node.op, static_cast<int>(k)))
        out.directions.push_back(backend_failure(contracts[k], {static_cast<int>(k)}, b, c, message, opt, undecided));
    }
  };
  try {
    grads = b.backward(c.graph, c.inputs, g);
  } catch (const ref::UndecidedRounding& e) {
    return fail_all(e.what(), true);
  } catch (const std::exception& e) {
    return fail_all(e.what(), false);
  }
  if (grads.size() != in.size()) {
    return fail_all("backend returned " + std::to_string(grads.size()) + " gradients for " + std::to_string(in.size()) +
                        " inputs", false);
  }
  drop_misshapen_gradients(b, c, in, contracts, opt, grads, out);
  out.backend_grads = grads;
  std::vector<Shape> shapes;
  for (const HostTensor* t : in) shapes.push_back(t->shape());
  int64_t terms = vjp_reduction_terms(node, shapes);
  std::vector<const HostTensor*> all = in;
  all.push_back(&y);
  all.push_back(&g);
  StrictValues strict = strict_values<T>(node, all, true);
  std::vector<std::optional<Truth<T>>> truths;
  std::vector<Judged> judged;
  for (mpfr_prec_t bits : kPrecisions) {  // Ziv-style: more bits only where a verdict is undecided
    ref::IntervalPrecision guard(bits);
    truths = vjp_truth<T>(node, all, cond, strict);
    judged.assign(in.size(), Judged{});
    bool undecided = false;
    for (std::size_t k = 0; k < in.size(); ++k) {
      if (!truths[k] || !grads[k]) continue;
      Direction dir{static_cast<int>(k)};
      judged[k] = judge<T>(contracts[k], dir, *grads[k], *truths[k], terms, error_scale(node, in, &g, dir),
                           !has_precondition(contracts[k]) || derivation_applies(node, in, &g, dir));
      undecided |= judged[k].result.verdict == Verdict::undecided || judged[k].result.imprecise;
    }
    if (!undecided) break;
  }
  for (std::size_t k = 0; k < in.size(); ++k) {
    if (!truths[k] || !grads[k]) continue;
    attach_discrepancy(judged[k], b, c, g, *grads[k], *truths[k], opt);
    out.directions.push_back(std::move(judged[k].result));
  }
}

template <class T>
CaseResult check_typed(backend::Backend& b, const OpCase& c, const CaseOptions& opt) {
  CaseResult out;
  const Node& node = c.graph.node(c.graph.outputs[0].node);
  std::vector<const HostTensor*> in;
  std::vector<Shape> shapes;
  for (NodeId p : node.parents) {
    in.push_back(&c.inputs.at(std::string(node_name(c.graph.node(p)))));
    shapes.push_back(in.back()->shape());
  }
  Contract fc = b.contract(node.op, node.dtype, {});
  HostTensor y;
  try {
    y = opt.given_forward ? *opt.given_forward : b.forward(c.graph, c.inputs);
  } catch (const ref::UndecidedRounding& e) {
    out.directions.push_back(backend_failure(fc, {}, b, c, e.what(), opt, true));
    return out;
  } catch (const std::exception& e) {
    out.directions.push_back(backend_failure(fc, {}, b, c, e.what(), opt));
    return out;
  }
  if (!(y.shape() == node.shape && y.dtype() == node.dtype)) {
    out.directions.push_back(backend_failure(fc, {}, b, c, "output has shape " + y.shape().str() + ", expected " +
                                                 node.shape.str(), opt));
    return out;
  }
  StrictValues strict = strict_values<T>(node, in, false);
  Truth<T> truth;
  Judged j;
  for (mpfr_prec_t bits : kPrecisions) {  // Ziv-style: more bits only where a verdict is undecided
    ref::IntervalPrecision guard(bits);
    truth = forward_truth<T>(node, in, needs_condition(fc), strict);
    j = judge<T>(fc, {}, y, truth, reduction_terms(node, shapes), error_scale(node, in, nullptr, {}),
                 !has_precondition(fc) || derivation_applies(node, in, nullptr, {}));
    if (j.result.verdict != Verdict::undecided && !j.result.imprecise) break;
  }
  attach_discrepancy(j, b, c, std::nullopt, y, truth, opt);
  out.directions.push_back(std::move(j.result));
  truth = Truth<T>{};  // its intervals' memory goes back to the allocator for the VJPs' (fewer page faults)
  if (opt.gradients && op_differentiable(node.op)) check_vjps<T>(b, c, in, y, opt, out);
  return out;
}

}  // namespace


CaseResult check_case(backend::Backend& b, const OpCase& c, const CaseOptions& opt) {
  DType d = c.graph.node(c.graph.outputs[0].node).dtype;
  return d == DType::f32 ? check_typed<float>(b, c, opt) : check_typed<double>(b, c, opt);
}

}  // namespace tl::oracle
