#!/usr/bin/env bash
# Runs NVIDIA compute-sanitizer's four tools (memcheck with leak check, racecheck, initcheck,
# synccheck) over the CUDA tests that touch the GPU: cuda_device_test and the device instances of
# cuda_tests. Needs a built tree (make build), a usable GPU and compute-sanitizer (CUDA toolkit).
# Exit status: 0 all clean; 1 a tool reported an error; 3 no GPU or no compute-sanitizer (named).
# Usage: scripts/cuda-sanitize.sh [build-dir]
set -uo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
sanitizer=$(command -v compute-sanitizer || true)
for candidate in /usr/local/cuda/bin/compute-sanitizer /usr/local/cuda/compute-sanitizer/compute-sanitizer \
                 /opt/nvidia/compute-sanitizer/compute-sanitizer; do
  [[ -z "$sanitizer" && -x "$candidate" ]] && sanitizer="$candidate"
done
if [[ -z "$sanitizer" ]]; then
  echo "cuda-sanitize.sh: compute-sanitizer not found (PATH, /usr/local/cuda/bin, /usr/local/cuda/compute-sanitizer)" >&2
  exit 3
fi
for exe in "$build/tests/cuda/cuda_device_test" "$build/tests/cuda/cuda_tests"; do
  [[ -x "$exe" ]] || { echo "cuda-sanitize.sh: $exe is missing (run make build with nvcc present)" >&2; exit 3; }
done
"$build/tests/cuda/cuda_device_test" >/dev/null
if [[ $? -eq 77 ]]; then
  echo "cuda-sanitize.sh: no usable CUDA device: $("$build/tests/cuda/cuda_device_test")" >&2
  exit 3
fi
status=0
for tool in memcheck racecheck initcheck synccheck; do
  extra=()
  [[ "$tool" == memcheck ]] && extra=(--leak-check full)
  for cmd in "$build/tests/cuda/cuda_device_test" "$build/tests/cuda/cuda_tests --gtest_filter=*/device"; do
    echo "== compute-sanitizer --tool $tool ${extra[*]} $cmd"
    # shellcheck disable=SC2086
    if ! "$sanitizer" --tool "$tool" "${extra[@]}" --error-exitcode 1 $cmd; then
      echo "cuda-sanitize.sh: $tool reported errors in $cmd" >&2
      status=1
    fi
  done
done
[[ $status -eq 0 ]] && echo "cuda-sanitize.sh: memcheck, racecheck, initcheck, synccheck clean"
exit $status
