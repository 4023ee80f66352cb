#!/usr/bin/env bash
# Runs on a GPU machine from a folder staged by scripts/stage-gpu-run.sh: the CUDA device tests, the
# cuda and cuda-cublas agreement reports (float32), compute-sanitizer over the device tests, and the
# GPU benchmarks beside PyTorch CUDA. Writes into OUT_DIR (at most 8 files, no deeper than
# OUT_DIR/a/b): machine.txt (GPU, driver, toolkit), log.txt (everything), cuda-float32/report.{md,json}
# (and report-sync-check.md when a CUDA error needs locating), cuda-cublas-float32/report.md,
# cuda-all-2000/report.md (both dtypes, 2000 cases per row), bench.txt: at most 8 files.
# A kernel fault shows at the next synchronisation under another op's name and is sticky for its
# process: the run then checks each op in a process of its own with TL_CUDA_SYNC_CHECK=1 (every launch
# waited for) to name the kernel (scripts/gpu-sync-check.sh).
# Exit 0 when every step passed; 1 when one failed; 5 when none failed but a step was cut short (its
# time limit, or the run's deadline: the log says which); 3 without a usable GPU; 4 when a shared
# library the binaries load is nowhere on the machine.
# Usage: gpu-run.sh OUT_DIR
set -uo pipefail
shopt -s nullglob
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: gpu-run.sh OUT_DIR}"
mkdir -p "$out"
export LD_LIBRARY_PATH="$here/lib:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
log="$out/log.txt"
status=0
cut=0
# Every step ends by the deadline (GPU_RUN_SECONDS after the start, default 500: the device tool's
# command is given 540), so the files written so far always come back.
deadline=${GPU_RUN_SECONDS:-500}
step() {  # step NAME COMMAND...: runs it (at most 120 s, and not past the deadline), appends its output (first 2000 lines) to the log
  local left=$((deadline - SECONDS))
  ((left > 120)) && left=120
  if ((left < 10)); then
    echo "== $1: not run (the run's deadline has passed)" | tee -a "$log"
    cut=1
    return
  fi
  echo "== $1" | tee -a "$log"
  shift
  local start=$SECONDS
  timeout -k 10 "$left" "$@" 2>&1 | { head -n 2000; cat >/dev/null; } >>"$log"  # keep reading: no SIGPIPE
  local rc=${PIPESTATUS[0]}
  # 124/137 from timeout only when the limit was reached (a command killed otherwise, by the OOM
  # killer say, also exits 137: a failure).
  if ((rc == 124 || rc == 137)) && ((SECONDS - start >= left)); then
    echo "   cut short after $left s (exit $rc)" | tee -a "$log"
    cut=1
    return
  fi
  echo "   exit $rc" | tee -a "$log"
  [[ $rc -eq 0 ]] || status=1
}
# The binaries load libcudart/libcublas/libcublasLt .so.13 from the machine: where the loader cannot
# find one, look in the CUDA toolkit's and Python's NVIDIA wheel folders before giving up (exit 4,
# naming the library, rather than a smoke-test failure that would read as "no GPU").
missing_libs() { ldd "$here/tl-check" "$here/cuda_tests" "$here/cuda_bench" 2>/dev/null | awk '/not found/ { print $1 }' | sort -u; }
# A folder that already gave one library is searched first for the next (libcublas and libcublasLt
# must come from one installation).
found_dirs=()
for lib in $(missing_libs); do
  found=""
  for dir in "${found_dirs[@]}"; do [[ -e "$dir/$lib" ]] && found="$dir/$lib" && break; done
  [[ -n "$found" ]] || found=$(find /usr/local /opt /usr/lib /usr/lib64 -name "$lib" -not -path '*/stubs/*' 2>/dev/null | head -n 1)
  [[ -n "$found" ]] || continue
  found_dirs+=("$(dirname "$found")")
  export LD_LIBRARY_PATH="$(dirname "$found"):$LD_LIBRARY_PATH"
done
if [[ -n "$(missing_libs)" ]]; then
  echo "gpu-run.sh: shared libraries not found on this machine: $(missing_libs | tr '\n' ' ')" | tee -a "$log"
  exit 4
fi
{
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  nvcc --version 2>/dev/null | tail -2
  cat "$here/STAGED" 2>/dev/null
  timeout -k 5 30 "$here/cuda_device_test"
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  ldd "$here/tl-check" | grep -E 'cuda|cublas|mpf|gmp'
} >"$out/machine.txt" 2>&1
step "device smoke test" "$here/cuda_device_test"
if [[ $status -ne 0 ]]; then  # no usable GPU: every device test would be skipped and look clean
  echo "gpu-run.sh: no usable GPU (machine.txt, log.txt); nothing else run" | tee -a "$log"
  exit 3
fi
step "cuda_tests (device instances)" "$here/cuda_tests" --gtest_filter='*/device*'
threads=$(nproc 2>/dev/null || echo 2)
((threads > 16)) && threads=16
example_graphs=()
for f in "$here"/graphs/*.json; do example_graphs+=(--graph "$f"); done
step "tl-check cuda float32 (and the example graphs)" "$here/tl-check" --backend cuda --dtype float32 --ops all --graphs 8 \
  "${example_graphs[@]}" --threads "$threads" --quiet --out "$here/r-cuda"
mkdir -p "$out/cuda-float32" "$out/cuda-cublas-float32" "$out/cuda-all-2000"
cp "$here/r-cuda/report.md" "$here/r-cuda/report.json" "$out/cuda-float32/" 2>/dev/null
# A CUDA error in the report shows where it surfaced, not which kernel faulted: check each op and
# graph in a process of its own with every launch waited for (scripts/gpu-sync-check.sh).
# (Every checked CUDA call's error reads "<op>: <call> failed: cudaError... (<code>): ...".)
if grep -q -E 'failed: cuda[A-Za-z]+ \(' "$here/r-cuda/report.md" "$here/r-cuda/report.json" 2>/dev/null; then
  step "CUDA errors located: one process per op and graph, every launch synchronised" \
    "$here/gpu-sync-check.sh" "$here" "$here/r-cuda-sync" "$here/r-cuda/report.md" "$out/cuda-float32/report-sync-check.md" \
    "$here"/graphs/*.json
fi
step "tl-check cuda-cublas float32" "$here/tl-check" --backend cuda-cublas --dtype float32 --graphs 8 --threads "$threads" \
  --quiet --out "$here/r-cublas"
cp "$here/r-cublas/report.md" "$out/cuda-cublas-float32/" 2>/dev/null
# The sampled evidence of the cuda rows: both dtypes, 2000 cases per row, 32 random graphs per dtype.
step "tl-check cuda, both dtypes, 2000 cases per row" "$here/tl-check" --backend cuda --dtype all --cases 2000 --graphs 32 \
  --threads "$threads" --quiet --out "$here/r-cuda-all"
cp "$here/r-cuda-all/report.md" "$out/cuda-all-2000/" 2>/dev/null
# Benchmarks are information, not a check: their exit statuses are written to bench.txt, not counted.
step "benchmarks (bench.txt)" bash -c '{ "$1/cuda_bench"; echo "cuda_bench exit $?"; "${PYTHON:-python3}" "$1/torch_cuda_bench.py";
  echo "torch_cuda_bench exit $?"; } 2>&1 | tee "$2"' _ "$here" "$out/bench.txt"
# compute-sanitizer over our kernels only (*/device, not cuBLAS's), without the launch-geometry test
# (a million-element sum and a 68 750-tile GEMM block: minutes under racecheck); some machines refuse
# it ("Device not supported"): a probe on the smoke test decides, so a refusal is reported, not
# counted as ours. Last: it is the slowest step and the one the deadline may cut.
sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)
if [[ -z "$sanitizer" ]]; then
  echo "== compute-sanitizer not found: skipped" | tee -a "$log"
elif ((deadline - SECONDS < 40)) || ! timeout -k 5 30 "$sanitizer" --tool memcheck --error-exitcode 1 "$here/cuda_device_test" >>"$log" 2>&1; then
  echo "== compute-sanitizer cannot run on this machine (probe above) or no time is left: skipped" | tee -a "$log"
else
  for tool in memcheck racecheck initcheck synccheck; do
    extra=()
    [[ $tool == memcheck ]] && extra=(--leak-check full)
    step "compute-sanitizer $tool" "$sanitizer" --tool "$tool" "${extra[@]}" --print-limit 50 --error-exitcode 1 \
      "$here/cuda_tests" --gtest_filter='*/device:-*LaunchGeometryEdges*'
  done
fi
((status == 0 && cut == 1)) && status=5
echo "gpu-run.sh: exit $status" | tee -a "$log"
exit $status
