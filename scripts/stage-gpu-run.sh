#!/usr/bin/env bash
# Stages a GPU run for a machine that has a GPU and the CUDA toolkit but not this project's Debian
# build dependencies (the device machines lent to sessions: nothing can be installed there). Copies
# this build's CUDA-facing binaries, the MPFR / MPFI / GMP shared libraries they load, the PyTorch
# peer script, scripts/gpu-run.sh and scripts/gpu-sync-check.sh into .gpu-run/ (git-ignored, a few
# MB), with .gpu-run/STAGED naming the commit (gpu-run.sh prints it into machine.txt). On the GPU machine:
#   .gpu-run/gpu-run.sh OUT_DIR      (the device tool: carry [".gpu-run"], command ".gpu-run/gpu-run.sh $OUT")
# Needs a build with nvcc (make build). Usage: scripts/stage-gpu-run.sh [build-dir] [stage-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
stage="${2:-.gpu-run}"
rm -rf "$stage" && mkdir -p "$stage/lib"
for exe in oracle/tl-check tests/cuda/cuda_tests tests/cuda/cuda_device_test bench/cuda_bench; do
  [[ -x "$build/$exe" ]] || { echo "stage-gpu-run.sh: $build/$exe missing (build with nvcc present)" >&2; exit 3; }
  cp "$build/$exe" "$stage/"
done
for lib in libmpfi.so.0 libmpfr.so.6 libgmp.so.10; do
  path=$(ldd "$build/oracle/tl-check" | awk -v l="$lib" '$1 == l { print $3 }')
  [[ -n "$path" ]] && cp -L "$path" "$stage/lib/"
done
cp scripts/gpu-run.sh scripts/gpu-sync-check.sh bench/torch_cuda_bench.py bench/torch_bench.py "$stage/"
# What was staged, printed into machine.txt: a stale stage is visible in the results.
{ echo "staged $(date -u +%FT%TZ) from $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)')"; } >"$stage/STAGED"
mkdir -p "$stage/graphs" && cp examples/graphs/*.json "$stage/graphs/"
du -sh "$stage"
