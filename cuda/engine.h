// The CUDA backend's public face: plain C++ (no CUDA headers), so the oracle and the runtime use it
// without nvcc. Two engines implement it from the same kernel sources (cuda/launch.h):
//  - make_device_engine(): the GPU (library tl_cuda, built when nvcc is found);
//  - make_emulated_engine(): the same kernels run as host loops (library tl_cuda_emulated, always
//    built), which is how CI checks the kernels' logic without a GPU.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "spec/contract.h"
#include "spec/graph.h"

namespace tl::cuda {

// A failing CUDA runtime call: names the call, the CUDA error and the op being run.
class DeviceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct GraphRun {
  std::map<NodeId, HostTensor> values;  // the nodes asked for (downloaded)
  std::map<NodeId, HostTensor> grads;   // d(output)/d(node) for each node of `wrt`
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string name() const = 0;  // "cuda", "cuda-cublas" or "cuda-emulated"
  // Uploads `inputs`, runs every node of `g` on the device, downloads the values of `keep`; with
  // `output` and `seed`, also runs the backward sweep (fast/backprop's order) and downloads the
  // gradients of `wrt`. Host<->device transfers happen only here.
  virtual GraphRun run(const Graph& g, const std::map<std::string, HostTensor>& inputs,
                       const std::vector<NodeId>& keep, std::optional<NodeId> output,
                       const HostTensor* seed, const std::vector<NodeId>& wrt) = 0;
};

// How matmul and linear multiply on the GPU: the own tiled GEMM (strict FMA-chain order, default) or
// cuBLAS (opt-in, an external trust boundary: its order is its own; cuda/blas.h).
enum class Gemm { own, cublas };

// Throws DeviceError when the device cannot be initialised (callers probe first: cuda/device.h).
std::unique_ptr<Engine> make_device_engine(Gemm gemm = Gemm::own);
std::unique_ptr<Engine> make_emulated_engine();
// The math library of the emulated engine's transcendentals: CUDA's libdevice compiled for the host
// (cuda/libdevice/) where the build found it, glibc's otherwise.
std::string emulated_math_library();

// The cuda backend's contract table (cuda/contracts.cpp; shared by both engines; `gemm` changes the
// matmul and linear rows).
Contract contract(OpId op, DType dtype, Direction direction, Gemm gemm = Gemm::own);
// The cuBLAS library's version ("cuBLAS 13.0.2"), or why it is not known (builds without nvcc).
std::string cublas_version();
std::string numerical_policy();

}  // namespace tl::cuda
