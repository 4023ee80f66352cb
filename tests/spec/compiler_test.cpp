// Guards against a g++ 12.2 -O2 miscompilation that the build works around with
// -fno-strict-aliasing (see the top-level CMakeLists.txt): a store made by a visitor's
// non-template overload, reached through std::visit over a std::variant, was dropped.
#include <gtest/gtest.h>

#include <string_view>
#include <variant>

namespace {

enum class Precision { single, full };
struct RoundToFloat {
  Precision precision;
  void operator()(std::string_view, double& x) const {
    if (precision == Precision::single) x = static_cast<double>(static_cast<float>(x));
  }
  template <class T> void operator()(std::string_view, T&) const {}
};
struct WithDouble {
  bool flag = true;
  double eps = 1e-6;
  double momentum = 0.1;
  template <class V> void visit_fields(V& v) { v("flag", flag); v("eps", eps); v("momentum", momentum); }
};
struct WithInt {
  int k = 0;
  template <class V> void visit_fields(V& v) { v("k", k); }
};
using Either = std::variant<WithInt, WithDouble>;

__attribute__((noinline)) void round_fields(Either& e) {
  RoundToFloat round{Precision::single};
  std::visit([&](auto& alt) { alt.visit_fields(round); }, e);
}

TEST(CompilerWorkarounds, StoreThroughVariantVisitorIsKept) {
  Either e = WithDouble{};
  round_fields(e);
  EXPECT_EQ(std::get<WithDouble>(e).eps, static_cast<double>(1e-6f));
}

}  // namespace
