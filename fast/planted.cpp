// The planted-bug switch (strength-check build only).
#include "fast/planted.h"

#include <cstdlib>
#include <cstring>

namespace tl::fast {

const std::vector<PlantedBug>& planted_bugs() {
  static const std::vector<PlantedBug> bugs = {
      {"reduce_sum_off_by_one", "reduce_sum", "the axis fold stops one term early"},
      {"tanh_grad_sign", "tanh", "the VJP of tanh has the wrong sign"},
      {"mse_missing_rounding", "mse_loss", "the loss accumulates in a wider type and rounds once, skipping the declared per-step roundings"},
      {"fast_math_exp", "exp", "exp(x) as exp2(x * log2(e)) with the product rounded first, as -ffast-math style code does"},
      {"transpose_stride", "transpose", "transpose copies with the input's strides (a plain reshape)"},
      {"sum_split_across_threads", "sum", "the full sum is split in two halves folded separately, as two threads would"},
      {"vector_lane_swap", "exp", "lane 5 of every 8-float block of the vectorised float exp takes lane 4's input"},
      {"ragged_tail_off_by_one", "sigmoid", "the scalar tail after the vectorised float sigmoid's blocks reads one element behind"},
      {"split_drops_last_item", "add", "a loop split across kernel threads loses the last item of the last chunk"},
      {"norm_one_pass_variance", "layer_norm", "the group variance as mean(x²) − mean(x)² in one pass: exact on centred data, cancels on non-centred data"},
      {"fanout_gradient_overwritten", "add", "the backward sweep overwrites a node's gradient with its last consumer's VJP instead of adding it (every node's own VJP stays right: only a value used twice shows it)"},
      {"cuda_block_offset", "exp", "every block after the first of a for_each_index launch starts one index late: the first index of each such block is never written", "cuda-emulated"},
      {"softplus_early_asymptote", "softplus", "softplus(x) returns x above 20: right in float32 (it rounds to x above ≈ 14), up to 6e5 ulps off in float64 below ≈ 33"},
  };
  return bugs;
}

bool planted(const char* name) {
  static const char* chosen = std::getenv("TL_PLANT");
  return chosen && std::strcmp(chosen, name) == 0;
}

std::string planted_bug_error() {
  const char* chosen = std::getenv("TL_PLANT");
  if (!chosen || !*chosen) return "";
  for (const PlantedBug& b : planted_bugs()) {
    if (std::strcmp(b.name, chosen) == 0) return "";
  }
  std::string names;
  for (const PlantedBug& b : planted_bugs()) names += std::string(names.empty() ? "" : ", ") + b.name;
  return std::string("TL_PLANT='") + chosen + "' is not a planted bug (one of: " + names + ")";
}

}  // namespace tl::fast
