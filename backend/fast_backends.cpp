// The eager (fast/eager: a tape) and compiled (fast/compiled: a plan) backends. Both run the same
// fast kernels and share one contract table; this file is compiled into tl_backend but links no
// fast library itself, so a program chooses tl_fast or the planted-bug tl_fast_planted.
#include <gnu/libc-version.h>

#include "backend/backend.h"
#include "fast/compiled/plan.h"
#include "fast/contracts.h"
#include "fast/eager/tape.h"
#include "fast/kernels/gemm.h"
#include "fast/kernels/parallel.h"
#include "fast/kernels/vmath.h"

namespace tl::backend {
namespace {

// The widest vector the compiler may use for the kernels' plain loops: the build's target ISA (the
// project sets no -march, so x86-64's baseline SSE2, 16 bytes). The GEMM and the vectorised float
// functions choose wider ISAs at run time and declare their own paths.
#if defined(__AVX512F__)
constexpr int64_t kCompilerVectorBytes = 64;
#elif defined(__AVX__)
constexpr int64_t kCompilerVectorBytes = 32;
#else
constexpr int64_t kCompilerVectorBytes = 16;
#endif

class FastBackend : public Backend {
 public:
  std::string device() const override { return "cpu"; }
  Contract contract(OpId op, DType d, Direction dir) const override { return fast::contract(op, d, dir); }
  std::string numerical_policy() const override { return fast::numerical_policy(); }
  std::vector<TrustEntry> trust() const override {
    return {{"C library / libm (fast float transcendentals)", std::string("glibc ") + gnu_get_libc_version()},
            {"fast GEMM path", fast::gemm_path()},
            {"fast kernel threads", std::to_string(fast::threads())}};
  }
  CodePaths code_paths(DType d) const override {
    const int64_t lanes = kCompilerVectorBytes / (d == DType::f32 ? 4 : 8);
    CodePaths out = {
        {"compiler-vectorised loops (-O3, this build's target): " + std::to_string(lanes) + " lanes", PathAxis::elements, lanes},
        {"elementwise loops split across kernel threads", PathAxis::elements, fast::kElementwiseGrain + 1},
        {"axis reductions: outputs split across kernel threads", PathAxis::outputs, fast::kReduceGrain + 1},
        {"softmax family: rows split across kernel threads", PathAxis::outputs, fast::kSoftmaxGrain + 1},
        {"norms and conv2d: groups and output planes split across kernel threads", PathAxis::outputs, 2},
        {"linear's bias rows split across kernel threads", PathAxis::gemm_m, fast::kLinearBiasGrain + 1},
    };
    if (d == DType::f32)
      out.push_back({"vectorised float functions (exp, log, tanh, sigmoid, gelu, VJPs): blocks of " +
                         std::to_string(fast::kVmathBlock), PathAxis::elements, fast::kVmathBlock});
    for (CodePath& p : d == DType::f32 ? fast::gemm_code_paths<float>() : fast::gemm_code_paths<double>())
      out.push_back(std::move(p));
    return out;
  }
};

class EagerBackend : public FastBackend {
 public:
  std::string name() const override { return "eager"; }
  Result run(const Graph& g, const Inputs& inputs, const Request& r) override {
    eager::Tape tape = eager::run_graph(g, inputs);
    Result out;
    for (NodeId id : requested_values(g, r)) out.values.emplace(id, tape.value(eager::Var{id}));
    if (r.output) {
      std::vector<eager::Var> vars;
      for (NodeId id : requested_wrt(g, r)) vars.push_back(eager::Var{id});
      out.grads = tape.gradients(eager::Var{*r.output}, requested_seed(g, r), vars);
    }
    return out;
  }
};

// A request for graph outputs only runs the plan as it is compiled for production (buffers reused,
// fused chains without intermediates), so that is what gets checked; any other request keeps
// every node's value. Plans of kept graphs are cached by the graph's address.
class CompiledBackend : public FastBackend {
 public:
  std::string name() const override { return "compiled"; }
  Result run(const Graph& g, const Inputs& inputs, const Request& r) override {
    std::vector<NodeId> values = requested_values(g, r);
    Result out;
    if (!r.output && !r.graph_is_kept && only_outputs(g, values)) {
      std::map<std::string, HostTensor> outs = compiled::Plan::compile(g).run(inputs);
      for (const GraphOutput& o : g.outputs) out.values.emplace(o.node, outs.at(o.name));
      return out;
    }
    std::optional<compiled::Plan> local;
    compiled::Plan* plan = nullptr;
    if (r.graph_is_kept) {
      auto it = kept_.find(&g);
      if (it == kept_.end()) it = kept_.emplace(&g, compiled::Plan::compile(g, {.keep_values = true})).first;
      plan = &it->second;
    } else {
      plan = &local.emplace(compiled::Plan::compile(g, {.keep_values = true}));
    }
    if (r.output) out.grads = plan->gradients(inputs, *r.output, requested_seed(g, r), requested_wrt(g, r));
    else plan->run(inputs);
    for (NodeId id : values) out.values.emplace(id, plan->value(id));
    return out;
  }

 private:
  static bool only_outputs(const Graph& g, const std::vector<NodeId>& values) {
    for (NodeId id : values) {
      bool is_output = false;
      for (const GraphOutput& o : g.outputs) is_output = is_output || o.node == id;
      if (!is_output) return false;
    }
    return true;
  }
  std::map<const Graph*, compiled::Plan> kept_;
};

}  // namespace

void set_kernel_threads(int n) { fast::set_threads(n); }

std::unique_ptr<Backend> make_fast_backend(bool compiled) {
  if (compiled) return std::make_unique<CompiledBackend>();
  return std::make_unique<EagerBackend>();
}

}  // namespace tl::backend
