#!/usr/bin/env bash
# Rehearses the staged GPU run (scripts/stage-gpu-run.sh, scripts/gpu-run.sh) on a machine without a
# GPU, so that the one short GPU session a task may get does not find a broken script: the stage is
# built from this build, its device binaries are replaced by stubs that report success, and tl-check
# runs the cuda backends' kernels through the emulated engine (fewer cases). Checks: exit 0 and the
# files that come back (the float32 report names the four example graphs); with a CUDA error planted
# in the report (under relu), the per-op TL_CUDA_SYNC_CHECK rerun, whose table must name the op whose
# process faults (gelu, planted there) and no other, and check first the op named in the report's
# error row; machine.txt's record of what was staged; exit 5 when the deadline cuts steps. (The library search is not rehearsed:
# here every library is installed.) Exit 77 (skipped) when this build has no CUDA binaries (no nvcc).
# Usage: gpu_run_rehearsal.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
src="$(cd "$2" && pwd)"
[[ -x "$build/tests/cuda/cuda_device_test" ]] || { echo "SKIP: no CUDA binaries in $build (built without nvcc)"; exit 77; }
work="$(mktemp -d)"
[[ -n "${KEEP:-}" ]] || trap 'rm -rf "$work"' EXIT
stage="$work/stage"
"$src/scripts/stage-gpu-run.sh" "$build" "$stage" >/dev/null
fail() { echo "FAIL: $*"; exit 1; }

# Stubs for what needs a GPU; tl-check maps cuda/cuda-cublas to cuda-emulated and shrinks the run.
printf '#!/bin/sh\necho "device: stub"\necho "smoke kernel ok"\n' >"$stage/cuda_device_test"
printf '#!/bin/sh\necho "[  PASSED  ] stub"\n' >"$stage/cuda_tests"
printf '#!/bin/sh\necho "cuda_sgemm_1024 0 GFLOP/s (stub)"\n' >"$stage/cuda_bench"
printf '#!/bin/sh\necho "torch stub $*"\n' >"$work/python"
mv "$stage/tl-check" "$stage/tl-check.real"
cat >"$stage/tl-check" <<'WRAP'
#!/usr/bin/env bash
args=()
while (($#)); do
  case $1 in
    cuda|cuda-cublas) args+=(cuda-emulated) ;;
    --cases) args+=(--cases 20); shift ;;
    --graphs) args+=(--graphs 1); shift ;;
    --out) out="$2"; args+=(--out "$2"); shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
"$(dirname "$0")/tl-check.real" "${args[@]}"
rc=$?
if [[ -n "${PLANT_CUDA_ERROR:-}" && -z "${TL_CUDA_SYNC_CHECK:-}" ]]; then
  echo "| relu | note: cudaMemcpyAsync(device->host) failed: cudaErrorIllegalAddress (700): planted |" >>"$out/report.md"
elif [[ -n "${PLANT_CUDA_ERROR:-}" && " ${args[*]} " == *" --ops gelu "* ]]; then
  echo "| gelu | note: gelu: kernel run (TL_CUDA_SYNC_CHECK) failed: cudaErrorIllegalAddress (700): planted |" >>"$out/report.md"
fi
exit $rc
WRAP
chmod +x "$stage"/cuda_device_test "$stage"/cuda_tests "$stage"/cuda_bench "$stage"/tl-check "$work/python"

run() { rm -rf "$work/out"; PYTHON="$work/python" "$stage/gpu-run.sh" "$work/out" >"$work/stdout" 2>&1; }

run || fail "gpu-run.sh exit $? on stubs: $(tail -5 "$work/stdout")"
for f in machine.txt log.txt bench.txt cuda-float32/report.md cuda-float32/report.json cuda-cublas-float32/report.md \
         cuda-all-2000/report.md; do
  [[ -s "$work/out/$f" ]] || fail "$f did not come back"
done
[[ ! -e "$work/out/cuda-float32/report-sync-check.md" ]] || fail "sync-check rerun without a CUDA error"
for g in mlp_2_8_1_mse softmax_classifier_ce tiny_convnet residual_layernorm_gelu; do
  grep -q "graphs/$g.json" "$work/out/cuda-float32/report.md" || fail "the float32 report does not check $g"
done
grep -q "torch stub" "$work/out/bench.txt" || fail "bench.txt lacks the PyTorch peer's output"
(($(find "$work/out" -type f | wc -l) <= 8)) || fail "more than 8 files to bring back"

PLANT_CUDA_ERROR=1 run || true
sync="$work/out/cuda-float32/report-sync-check.md"
[[ -s "$sync" ]] || fail "no TL_CUDA_SYNC_CHECK rerun after a CUDA error"
for unit in relu matmul cross_entropy "graph tiny_convnet" "8 random graphs"; do
  grep -q "^| $unit | 0 | summary pass=" "$sync" || fail "the sync-check table has no passing row for $unit"
done
grep -q "^| gelu | 0 | summary pass=[^|]* | [^|]*gelu: kernel run (TL_CUDA_SYNC_CHECK) failed: cudaErrorIllegalAddress (700)" "$sync" ||
  fail "the sync-check table does not name gelu's planted fault"
grep -q "^| relu | 0 | summary pass=[^|]* |  *|$" "$sync" || fail "the sync-check table blames relu"
[[ "$(grep -A1 '^|---' "$sync" | tail -n 1 | cut -d'|' -f2)" == " relu " ]] ||
  fail "the op named in the report's error row (relu) is not checked first"
grep -q "^staged .* from " "$work/out/machine.txt" || fail "machine.txt does not say what was staged"

# A deadline that cuts steps: exit 5 (nothing failed, something cut short), not 0 or 1.
rc=0
GPU_RUN_SECONDS=10 run || rc=$?
((rc == 5)) || fail "gpu-run.sh with steps cut by the deadline: exit $rc, expected 5"
grep -q "not run (the run's deadline has passed)" "$work/out/log.txt" || fail "the log does not say which steps were cut"

echo "gpu-run rehearsal passed"
