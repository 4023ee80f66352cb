#!/usr/bin/env bash
# The cuda backend and PyTorch CUDA side by side on the same GPU, in one run (issue 7): own tiled
# SGEMM/DGEMM against cuBLAS (TF32 off), and the MLP training steps of bench/cuda_bench.cu against
# the same models in PyTorch. Needs a usable GPU (exit 3 without one) and, for the peer column, a
# CUDA-enabled PyTorch for $PYTHON (default: the first python3 on PATH; Debian's python3-torch is
# CPU-only: then the peer is reported unavailable and only our numbers are printed). Ends with a
# summary line.
# Usage: [PYTHON=python3] bench/compare-pytorch-cuda.sh [build-dir]
set -uo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
cmake --build "$build" --target cuda_bench -j2 >/dev/null || { echo "compare-pytorch-cuda.sh: cuda_bench did not build (no nvcc?)" >&2; exit 3; }
ours=$("$build/bench/cuda_bench") || exit $?
echo "== TorchLean cuda backend =="
echo "$ours"
peer=$("${PYTHON:-python3}" bench/torch_cuda_bench.py 2>&1)
peer_status=$?
echo "== PyTorch CUDA =="
echo "$peer"
if [[ $peer_status -ne 0 ]]; then
  echo "summary peer=unavailable"
  exit 0
fi
get() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
ratio() { awk -v a="$(get "$ours" "$1")" -v b="$(get "$peer" "$1")" 'BEGIN { printf "%.2f", a / b }'; }
echo "summary sgemm_4096_vs_cublas=$(ratio cuda_sgemm_4096) mlp784_speedup=$(ratio cuda_mlp_784_256_10_steps) tiny_mlp_speedup=$(ratio cuda_tiny_mlp_2_16_1_steps)"
