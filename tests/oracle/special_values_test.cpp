// Special values of the softmax family (docs/special-values.md) in every meaning: logsumexp of a row
// with +inf is +inf and of a row of -inf only is -inf (the extended-real value, NumPy's and
// PyTorch's), NaN propagates, and a -inf entry among finite ones contributes exp(-inf) = 0.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "backend/backend.h"
#include "reference/eval.h"
#include "spec/builder.h"

namespace tl {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct LogsumexpCase {
  Graph graph;
  std::map<std::string, HostTensor> inputs;
};

LogsumexpCase rows_of_specials(DType d) {
  GraphBuilder b(d, "logsumexp_specials");
  Ref x = b.input("x", {4, 3});
  b.output("y", b.reduce(OpId::logsumexp, x, 1));
  HostTensor v(d, Shape{4, 3});
  const double values[] = {kInf, 1, 2, -kInf, -kInf, -kInf, 1, std::nan(""), 2, -kInf, 0, 1};
  for (int64_t i = 0; i < 12; ++i) v.set_from_double(i, values[i]);
  return {b.finish(), {{"x", v}}};
}

// log(e^0 + e^1) = 1 + log(1 + e^-1), to double precision.
constexpr double kLogOnePlusE = 1.3132616875182228;

void expect_specials(const HostTensor& y, DType d, const std::string& who) {
  EXPECT_EQ(y.value_as_double(0), kInf) << who;
  EXPECT_EQ(y.value_as_double(1), -kInf) << who;
  EXPECT_TRUE(std::isnan(y.value_as_double(2))) << who;
  double tol = d == DType::f32 ? 1e-6 : 1e-15;
  EXPECT_NEAR(y.value_as_double(3), kLogOnePlusE, tol) << who;
}

TEST(SpecialValues, LogsumexpIsTheExtendedRealValueOnEveryBackendAndInTheRealMeaning) {
  for (DType d : {DType::f32, DType::f64}) {
    LogsumexpCase c = rows_of_specials(d);
    for (const char* name : {"eager", "compiled", "reference", "cuda-emulated"})
      expect_specials(backend::make_backend(name)->forward(c.graph, c.inputs), d, std::string(name) + " " + std::string(dtype_name(d)));
    std::vector<ref::RefTensor<ref::Interval>> real = ref::evaluate<ref::Interval>(c.graph, c.inputs);
    const ref::RefTensor<ref::Interval>& y = real.back();
    EXPECT_EQ(y[0].lower(), kInf);
    EXPECT_EQ(y[1].upper(), -kInf);
    EXPECT_TRUE(y[2].has_nan());
    EXPECT_LE(y[3].lower(), kLogOnePlusE + 1e-15);
    EXPECT_GE(y[3].upper(), kLogOnePlusE - 1e-15);
  }
}

}  // namespace
}  // namespace tl
