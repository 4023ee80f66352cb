// quickstart_tensors and quickstart_autograd: tensors and ops run eagerly, the tape that records
// them, and explicit gradients (nothing is stored on the variables) — the same graph compiled gives
// the same bits.
#include <cstdio>

#include "examples/examples.h"
#include "fast/compiled/plan.h"
#include "fast/eager/tape.h"
#include "runtime/cli.h"
#include "spec/print.h"

namespace tl::examples {
namespace {

HostTensor filled(DType d, Shape s, double start, double step) {
  HostTensor t(d, std::move(s));
  for (int64_t i = 0; i < t.numel(); ++i) {
    double v = start + step * static_cast<double>(i);
    t.set_from_double(i, v);
  }
  return t;
}

std::variant<rt::train::Flags, int> flags_of(const char* name, int argc, char** argv) {
  rt::train::Flags only_dtype;
  only_dtype.schedule = rt::train::Schedule::none;
  return rt::train::parse_flags(name, argc, argv, only_dtype, nullptr);
}

}  // namespace

int quickstart_tensors(int argc, char** argv) {
  auto parsed = flags_of("quickstart_tensors", argc, argv);
  if (std::holds_alternative<int>(parsed)) return std::get<int>(parsed);
  DType d = std::get<rt::train::Flags>(parsed).dtype;
  std::printf("== Quickstart: tensors (%s) ==\n", std::string(dtype_name(d)).c_str());
  eager::Tape tape(d, "tensors");
  eager::Var a = tape.input("a", filled(d, Shape{2, 3}, -1.0, 0.5));
  eager::Var w = tape.input("w", filled(d, Shape{4, 3}, 0.25, -0.125));
  eager::Var y = tape.apply(OpId::linear, {a, w}, NoAttrs{});
  eager::Var r = tape.apply(OpId::relu, {y}, NoAttrs{});
  eager::Var s = tape.apply(OpId::sum, {r}, NoAttrs{});
  std::printf("a = %s\nw = %s\nlinear(a, w) = %s\nrelu = %s\nsum = %s\n", tensor_to_hex_string(tape.value(a)).c_str(),
              tensor_to_hex_string(tape.value(w)).c_str(), tensor_to_hex_string(tape.value(y)).c_str(),
              tensor_to_hex_string(tape.value(r)).c_str(), tensor_to_hex_string(tape.value(s)).c_str());
  std::printf("values print as hex floats: exact, and they round-trip. The tape:\n%s", tape.to_text().c_str());
  std::printf("steps=0 loss0=%.6f loss1=%.6f\n", tape.value(s).value_as_double(0), tape.value(s).value_as_double(0));
  return 0;
}

int quickstart_autograd(int argc, char** argv) {
  auto parsed = flags_of("quickstart_autograd", argc, argv);
  if (std::holds_alternative<int>(parsed)) return std::get<int>(parsed);
  DType d = std::get<rt::train::Flags>(parsed).dtype;
  std::printf("== Quickstart: autograd (%s) ==\nloss = sum(tanh(x W^T + b)^2); gradients are returned, not stored\n",
              std::string(dtype_name(d)).c_str());
  eager::Tape tape(d, "autograd");
  eager::Var x = tape.input("x", filled(d, Shape{2, 3}, -0.5, 0.25));
  eager::Var W = tape.param("W", filled(d, Shape{2, 3}, 0.5, -0.25));
  eager::Var b = tape.param("b", filled(d, Shape{2}, 0.125, 0.125));
  eager::Var h = tape.apply(OpId::tanh, {tape.apply(OpId::linear, {x, W, b}, NoAttrs{})}, NoAttrs{});
  eager::Var loss = tape.apply(OpId::sum, {tape.apply(OpId::square, {h}, NoAttrs{})}, NoAttrs{});
  HostTensor one = filled(d, Shape{}, 1.0, 0.0);
  auto grads = tape.gradients(loss, one, {W, b});
  std::printf("%s", tape.to_text().c_str());
  std::printf("loss = %s\ndloss/dW = %s\ndloss/db = %s\n", tensor_to_hex_string(tape.value(loss)).c_str(),
              tensor_to_hex_string(grads.at(W.id)).c_str(), tensor_to_hex_string(grads.at(b.id)).c_str());
  Graph g = tape.graph();
  g.outputs = {{"loss", loss.id}};
  compiled::Plan plan = compiled::Plan::compile(g, {.keep_values = true});
  auto cg = plan.gradients({{"x", tape.value(x)}, {"W", tape.value(W)}, {"b", tape.value(b)}}, loss.id, one, {W.id, b.id});
  bool same = cg.at(W.id).bit_equal(grads.at(W.id)) && cg.at(b.id).bit_equal(grads.at(b.id));
  std::printf("the same graph compiled gives %s gradients\n", same ? "bit-identical" : "DIFFERENT");
  std::printf("steps=0 loss0=%.6f loss1=%.6f\n", tape.value(loss).value_as_double(0), tape.value(loss).value_as_double(0));
  return same ? 0 : 1;
}

}  // namespace tl::examples
