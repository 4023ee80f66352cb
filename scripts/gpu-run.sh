#!/usr/bin/env bash
# Runs on a GPU machine from a folder staged by scripts/stage-gpu-run.sh: the CUDA device tests, the
# cuda and cuda-cublas agreement reports (float32), compute-sanitizer over the device tests, and the
# GPU benchmarks beside PyTorch CUDA. Writes into OUT_DIR (at most 8 files, no deeper than
# OUT_DIR/a/b): machine.txt (GPU, driver, toolkit), log.txt (everything), cuda-float32/report.{md,json},
# cuda-cublas-float32/report.md, bench.txt. Exit 0 when every step passed.
# Usage: gpu-run.sh OUT_DIR
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: gpu-run.sh OUT_DIR}"
mkdir -p "$out"
export LD_LIBRARY_PATH="$here/lib:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
log="$out/log.txt"
status=0
step() {  # step NAME COMMAND...: runs it, appends its output to the log, records a failure
  echo "== $1" | tee -a "$log"
  shift
  "$@" >>"$log" 2>&1
  local rc=$?
  echo "   exit $rc" | tee -a "$log"
  [[ $rc -eq 0 ]] || status=1
}
{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  nvcc --version 2>/dev/null | tail -2
  "$here/cuda_device_test"
} >"$out/machine.txt" 2>&1
step "device smoke test" "$here/cuda_device_test"
step "cuda_tests (device instances)" "$here/cuda_tests" --gtest_filter='*/device*'
step "tl-check cuda float32" "$here/tl-check" --backend cuda --dtype float32 --graphs 8 --quiet --out "$here/r-cuda"
step "tl-check cuda-cublas float32" "$here/tl-check" --backend cuda-cublas --dtype float32 --graphs 8 --quiet --out "$here/r-cublas"
mkdir -p "$out/cuda-float32" "$out/cuda-cublas-float32"
cp "$here/r-cuda/report.md" "$here/r-cuda/report.json" "$out/cuda-float32/" 2>/dev/null
cp "$here/r-cublas/report.md" "$out/cuda-cublas-float32/" 2>/dev/null
sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)
if [[ -n "$sanitizer" ]]; then
  for tool in memcheck racecheck initcheck synccheck; do
    extra=()
    [[ $tool == memcheck ]] && extra=(--leak-check full)
    step "compute-sanitizer $tool" "$sanitizer" --tool "$tool" "${extra[@]}" --error-exitcode 1 "$here/cuda_tests" --gtest_filter='*/device*'
  done
else
  echo "== compute-sanitizer not found: skipped" | tee -a "$log"
fi
{
  "$here/cuda_bench"
  "${PYTHON:-python3}" "$here/torch_cuda_bench.py"
} >"$out/bench.txt" 2>&1 || echo "== benchmarks: see bench.txt" | tee -a "$log"
echo "gpu-run.sh: exit $status" | tee -a "$log"
exit $status
