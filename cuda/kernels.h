// Internal to cuda/: the kernel families and their one dispatcher. Every op of spec/ops.def has a
// forward and a backward here, for float and double, written once and compiled by both builds
// (cuda/launch.h). Orders are declared per family in its file and summarised in docs/contracts.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cuda/memory.h"

namespace tl::cuda::TL_CUDA_NS {

using DevInputs = std::vector<const DeviceTensor*>;
using DevGrads = std::vector<std::optional<DeviceTensor>>;

// Node forward from its inputs (parent order); input nodes are bound by the engine.
DeviceTensor forward(const Node& node, const DevInputs& in, const std::string& where);
// Gradients of the node's parents from upstream gradient g of its output y; nullopt where the op
// gives none (ops.def) or `wanted` is false.
DevGrads backward(const Node& node, const DevInputs& in, const DeviceTensor& y, const DeviceTensor& g,
                  const std::string& where, const std::vector<bool>& wanted);

// The families (kernels_<family>.cu). forward: y is preallocated with the node's dtype and shape,
// uninitialised, and must be written whole. backward: dx has one entry per parent, all nullopt;
// fill dx[k] (dtype and shape of input k) when wanted[k] — which the dispatcher has already
// restricted to the inputs that get a gradient (op_input_gets_grad).
#define TL_CUDA_FAMILY(NAME)                                                                         \
  template <class T>                                                                                 \
  void NAME##_forward(const Node& n, const DevInputs& in, DeviceTensor& y, const std::string& where); \
  template <class T>                                                                                 \
  void NAME##_backward(const Node& n, const DevInputs& in, const DeviceTensor& y, const DeviceTensor& g, \
                       DevGrads& dx, const std::vector<bool>& wanted, const std::string& where);
TL_CUDA_FAMILY(elementwise)  // detach neg abs square sqrt rsqrt reciprocal exp log sin cos tanh sigmoid relu gelu softplus scale clamp safe_log hardtanh add sub mul div maximum minimum
TL_CUDA_FAMILY(reduce)       // sum reduce_sum reduce_mean reduce_max softmax log_softmax logsumexp
TL_CUDA_FAMILY(linalg)       // matmul linear
TL_CUDA_FAMILY(conv)         // conv2d max_pool2d avg_pool2d
TL_CUDA_FAMILY(norm)         // layer_norm batch_norm
TL_CUDA_FAMILY(shape)        // reshape flatten permute transpose broadcast_to concat slice gather_rows scatter_add_rows
TL_CUDA_FAMILY(loss)         // mse_loss cross_entropy bce_with_logits nll
#undef TL_CUDA_FAMILY

// C[i*c_row + j] = FMA chain over k = 0..K-1 from +0 of A[i*a_row + k*a_k] * B[j*b_col + k*b_k]
// (kernels_linalg.cu): the fast backend's gemm() contract, so matmul/linear agree bit for bit.
template <class T>
void gemm(int64_t M, int64_t N, int64_t K, const T* A, int64_t a_row, int64_t a_k, const T* B, int64_t b_col,
          int64_t b_k, T* C, int64_t c_row, const std::string& op);

// Explicit instantiation of a family for both dtypes (at the end of each kernels_<family>.cu).
#define TL_CUDA_INSTANTIATE_FAMILY(NAME)                                                                   \
  template void NAME##_forward<float>(const Node&, const DevInputs&, DeviceTensor&, const std::string&);   \
  template void NAME##_forward<double>(const Node&, const DevInputs&, DeviceTensor&, const std::string&);  \
  template void NAME##_backward<float>(const Node&, const DevInputs&, const DeviceTensor&, const DeviceTensor&, \
                                       DevGrads&, const std::vector<bool>&, const std::string&);          \
  template void NAME##_backward<double>(const Node&, const DevInputs&, const DeviceTensor&, const DeviceTensor&, \
                                        DevGrads&, const std::vector<bool>&, const std::string&);

}  // namespace tl::cuda::TL_CUDA_NS
