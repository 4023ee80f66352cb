#!/usr/bin/env bash
# Runs the fast backend and PyTorch CPU (Debian python3-torch with OpenBLAS-openmp) side by side, same
# models, batches, optimizer and thread count, and ends with the summary line of issue 4:
#   summary tiny_mlp_speedup=X mlp784_speedup=Y sgemm_peak_fraction=Z
# Usage: bench/compare-pytorch.sh [threads]   (installs the peer with scripts/install-deps.sh --bench)
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-1}"
scripts/install-deps.sh --bench
cmake --build build --target fast_bench -j2 >/dev/null
ours=$(build/bench/fast_bench --threads "$threads")
# Inside the torch process OpenBLAS 0.3.21 detects this CPU as "Prescott" (no AVX: ~34 GFLOP/s
# SGEMM); naming the core type gives the peer its AVX-512 (or AVX2) kernels, its best configuration.
coretype=Haswell
grep -q avx512f /proc/cpuinfo && coretype=SkylakeX
peer=$(OPENBLAS_CORETYPE="$coretype" LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
  OMP_NUM_THREADS="$threads" /usr/bin/python3 bench/torch_bench.py "$threads")
echo "== TorchLean fast (compiled backend) =="
echo "$ours"
echo "== PyTorch CPU (OpenBLAS-openmp, OPENBLAS_CORETYPE=$coretype) =="
echo "$peer"
get() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
tiny=$(awk -v a="$(get "$ours" tiny_mlp_2_16_1_steps)" -v b="$(get "$peer" tiny_mlp_2_16_1_steps)" 'BEGIN { printf "%.2f", a / b }')
big=$(awk -v a="$(get "$ours" mlp_784_256_10_steps)" -v b="$(get "$peer" mlp_784_256_10_steps)" 'BEGIN { printf "%.2f", a / b }')
frac=$(awk -v a="$(get "$ours" sgemm_1024)" -v b="$(get "$ours" peak_fma_f32_per_core)" 'BEGIN { printf "%.2f", a / b }')
dfrac=$(awk -v a="$(get "$ours" dgemm_1024)" -v b="$(get "$ours" peak_fma_f64_per_core)" 'BEGIN { printf "%.2f", a / b }')
dense=$(awk -v a="$(get "$ours" mlp_784_256_10_steps_dense)" -v b="$(get "$peer" mlp_784_256_10_steps)" 'BEGIN { printf "%.2f", a / b }')
echo "dgemm_1024_peak_fraction $dfrac (float64, against peak_fma_f64_per_core)"
echo "mlp784_dense_speedup $dense (weight gradients without zero skipping: the same bits, every GEMM dense)"
echo "summary tiny_mlp_speedup=$tiny mlp784_speedup=$big sgemm_peak_fraction=$frac"
