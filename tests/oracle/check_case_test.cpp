// check_case against a backend that breaks its gradients on purpose (a wrapper around eager): a
// missing gradient, a misshapen one, or a throwing backward fails exactly the directions concerned,
// with the reason, and the forward and the intact directions still pass.
#include <gtest/gtest.h>

#include <cmath>

#include "backend/backend.h"
#include "checking/check_op.h"
#include "cases/op_cases.h"

namespace tl::oracle {
namespace {

enum class Breakage { drop_first, misshape_first, throw_in_backward };

class BrokenGradients : public backend::Backend {
 public:
  explicit BrokenGradients(Breakage how) : how_(how), eager_(backend::make_backend("eager")) {}
  std::string name() const override { return "broken-gradients"; }
  std::string device() const override { return "cpu"; }
  Contract contract(OpId op, DType d, Direction dir) const override { return eager_->contract(op, d, dir); }
  std::string numerical_policy() const override { return eager_->numerical_policy(); }
  std::vector<backend::TrustEntry> trust() const override { return {}; }
  CodePaths code_paths(DType d) const override { return eager_->code_paths(d); }
  backend::Result run(const Graph& g, const backend::Inputs& in, const backend::Request& r) override {
    if (!r.output) return eager_->run(g, in, r);
    if (how_ == Breakage::throw_in_backward) throw std::runtime_error("backward exploded");
    backend::Result out = eager_->run(g, in, r);
    NodeId first = r.wrt.at(0);
    if (how_ == Breakage::drop_first) out.grads.erase(first);
    if (how_ == Breakage::misshape_first) out.grads.at(first) = HostTensor(out.grads.at(first).dtype(), Shape{7});
    return out;
  }

 private:
  Breakage how_;
  std::unique_ptr<backend::Backend> eager_;
};

struct Expected {
  Breakage how;
  std::vector<Verdict> verdicts;  // forward, vjp[0], vjp[1]
  std::size_t failing;            // a direction whose record must give the reason
  const char* reason;
};

// mul(a, b) in float64: the forward and the intact direction pass, the broken ones fail with the reason.
TEST(CheckCase, BrokenGradientsFailExactlyTheirDirectionsAndSayWhy) {
  const Expected cases[] = {
      {Breakage::drop_first, {Verdict::pass, Verdict::fail, Verdict::pass}, 1, "no gradient returned for input 0"},
      {Breakage::misshape_first, {Verdict::pass, Verdict::fail, Verdict::pass}, 1, "gradient of input 0 has shape [7]"},
      {Breakage::throw_in_backward, {Verdict::pass, Verdict::fail, Verdict::fail}, 2, "backward exploded"},
  };
  for (const Expected& e : cases) {
    SplitMix64 rng(3);
    OpCase c = make_op_case(OpId::mul, DType::f64, rng);
    BrokenGradients b(e.how);
    CaseResult r = check_case(b, c, {true, 1, "dyadic"});
    std::vector<Verdict> verdicts;
    for (const DirectionResult& d : r.directions) verdicts.push_back(d.verdict);
    ASSERT_EQ(verdicts, e.verdicts) << e.reason;
    const std::string& why = r.directions[e.failing].discrepancy->why;
    EXPECT_NE(why.find(e.reason), std::string::npos) << why;
  }
}

// reciprocal's VJP in float64 at x = 2^-600 with g = 0: -1/x^2 overflows in the strict order, so the
// strict value is 0 * -inf = NaN while the real value is 0, and with finite inputs the element is
// judged against the real one. An inf in another element of the same case (x = inf, g = 1, where
// every meaning gives -0) must not change that: finiteness is per element for elementwise ops.
TEST(CheckCase, AnInfElsewhereDoesNotChangeHowAFiniteElementIsJudged) {
  HostTensor x(DType::f64, Shape{2});
  x.set_from_double(0, std::ldexp(1.0, -600));
  x.set_from_double(1, INFINITY);
  HostTensor g(DType::f64, Shape{2});
  g.set_from_double(0, 0.0);
  g.set_from_double(1, 1.0);
  Node n;
  n.op = OpId::reciprocal;
  n.dtype = DType::f64;
  n.shape = Shape{2};
  std::vector<HostTensor> inputs;
  inputs.push_back(x);
  OpCase c = single_op_case(n, std::move(inputs), "reciprocal_inf_elsewhere");
  std::unique_ptr<backend::Backend> eager = backend::make_backend("eager");
  CaseOptions co{true, 1, "special"};
  co.given_upstream = &g;
  CaseResult r = check_case(*eager, c, co);
  ASSERT_EQ(r.directions.size(), 2u);
  EXPECT_EQ(r.directions[1].verdict, Verdict::pass)
      << (r.directions[1].discrepancy ? r.directions[1].discrepancy->why : std::string("no record"));
}

}  // namespace
}  // namespace tl::oracle
