#!/usr/bin/env bash
# Compiles CUDA's libdevice (the toolkit's LLVM bitcode of the device math library, nvvm/libdevice/
# libdevice.10.bc) for the host CPU, keeping only the functions cuda/math.h calls on the GPU, so their
# own code can be measured without a GPU (cuda/libdevice/README.md). The bitcode is rewritten as text:
#  - the target becomes the host's (triple replaced, NVPTX data layout dropped);
#  - address spaces are removed (libdevice's constant tables live in addrspace(1)): every pointer is
#    a host pointer, and an addrspacecast becomes a no-op bitcast;
#  - every NVVM intrinsic @llvm.nvvm.NAME becomes a call of the host function @tl_nvvm.NAME
#    (host_intrinsics.cpp: the exact ones bit for bit, the approximate ones by a chosen model);
#    @__nvvm_reflect stays a call (host_intrinsics.cpp answers it as nvcc would for sm_90, no FTZ);
#  - the four inline PTX blocks (128-bit integer arithmetic of the trigonometric functions' argument
#    reduction) become calls of @tl_ptx.mad_wide, mul_wide, add_128, sub_128, whose host versions
#    transcribe those instructions one by one (carry flag included); the kept module must have no
#    inline assembly left, or the script fails.
# Then opt internalizes everything but the kept functions, drops the rest and optimises (no fast-math
# flags exist in the IR, so no transformation may change a floating-point result), and llc emits a
# position-independent object.
# Usage: retarget.sh LIBDEVICE_BC LLVM_BIN_DIR OUT.o FUNCTION[,FUNCTION...]
set -euo pipefail
bc="$1" bin="$2" out="$3" keep="$4"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin/llvm-dis" "$bc" -o "$work/libdevice.ll"
sed -E -e '/^target datalayout/d' -e 's/^target triple = .*/target triple = "x86_64-pc-linux-gnu"/' \
  -e 's/ addrspace\([0-9]+\)//g' -e 's/addrspacecast/bitcast/g' -e 's/@llvm\.nvvm\./@tl_nvvm./g' \
  -e 's/asm (sideeffect )?"[^"]*clo, chi;[^"]*", "[^"]*"/@tl_ptx.mad_wide/g' \
  -e 's/asm (sideeffect )?"[^"]*mul\.lo\.u32[^"]*", "[^"]*"/@tl_ptx.mul_wide/g' \
  -e 's/asm (sideeffect )?"[^"]*add\.cc\.u32[^"]*", "[^"]*"/@tl_ptx.add_128/g' \
  -e 's/asm (sideeffect )?"[^"]*sub\.cc\.u32[^"]*", "[^"]*"/@tl_ptx.sub_128/g' \
  "$work/libdevice.ll" >"$work/host.ll"
cat >>"$work/host.ll" <<'DECLARE'
declare { i64, i64 } @tl_ptx.mad_wide(i64, i64, i64)
declare { i64, i64 } @tl_ptx.mul_wide(i64, i64)
declare { i64, i64 } @tl_ptx.add_128(i64, i64, i64, i64)
declare { i64, i64 } @tl_ptx.sub_128(i64, i64, i64, i64)
DECLARE
"$bin/llvm-as" "$work/host.ll" -o "$work/host.bc"
"$bin/opt" -internalize -internalize-public-api-list="$keep" -globaldce -O2 "$work/host.bc" -o "$work/kept.bc"
if "$bin/llvm-dis" "$work/kept.bc" -o - | grep -q -E '(^|[^A-Za-z_.])asm '; then
  echo "retarget.sh: inline assembly left in the kept functions ($keep)" >&2
  exit 1
fi
"$bin/llc" -O2 -filetype=obj -relocation-model=pic "$work/kept.bc" -o "$out"
