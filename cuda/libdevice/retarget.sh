#!/usr/bin/env bash
# Compiles CUDA's libdevice (the toolkit's LLVM bitcode of the device math library, nvvm/libdevice/
# libdevice.10.bc) for an x86-64 host, keeping only the functions cuda/math.h calls on the GPU, so
# their own code can be measured and run without a GPU (cuda/libdevice/README.md). CMake runs it at
# configure time; any failure leaves the build on glibc's functions. The bitcode is rewritten as text:
#  - the target becomes x86-64 Linux (triple and data layout);
#  - address spaces are removed (libdevice's constant tables live in addrspace(1)): every pointer is
#    a host pointer, and an addrspacecast becomes a no-op bitcast;
#  - every NVVM intrinsic @llvm.nvvm.NAME becomes a call of the host function @tl_nvvm.NAME
#    (host_intrinsics.cpp: the exact ones bit for bit, the approximate ones by a chosen model);
#    @__nvvm_reflect stays a call (host_intrinsics.cpp answers it as nvcc would for sm_90, no FTZ);
#  - the four inline PTX blocks of the kept functions (128-bit integer arithmetic of sin and cos's
#    argument reduction) become calls of @tl_ptx.mad_wide, mul_wide, add_128, sub_128. Each block is
#    first checked to be, character for character, the one host_intrinsics.cpp transcribes (CUDA
#    13.0's, by checksum), and the kept functions to have no other inline assembly.
# Then opt internalizes everything but the kept functions, drops the rest and optimises (no fast-math
# flags exist in the IR, so no transformation may change a floating-point result), llc emits a
# position-independent object, and every symbol it leaves undefined must be one host_intrinsics.cpp
# defines.
# Usage: retarget.sh LIBDEVICE_BC LLVM_BIN_DIR HOST_INTRINSICS_CPP OUT.o FUNCTION[,FUNCTION...]
set -euo pipefail
bc="$1" bin="$2" intrinsics="$3" out="$4" keep="$5"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "retarget.sh: $*" >&2; exit 1; }

# The inline PTX blocks, by the text that tells them apart, and the checksum of the whole asm text.
names=(mad_wide mul_wide add_128 sub_128)
keys=('clo, chi;' 'mul\.lo\.u32' 'add\.cc\.u32' 'sub\.cc\.u32')
sums=(71ece063368fd34d5e8dacf072b10192 22ef2040c6c68c0d8992fa983d8b6ec4 9ca1418d1a133f080639f57e658d0cf5
      d6f2e18a800e59559eaf35bd170a55cd)
asm_of() { { grep -oE "asm (sideeffect )?\"[^\"]*$1[^\"]*\", \"[^\"]*\"" "$2" || true; } | sort -u; }

"$bin/opt" -internalize -internalize-public-api-list="$keep" -globaldce "$bc" -o "$work/original.bc"
"$bin/llvm-dis" "$work/original.bc" -o "$work/original.ll"
blocks=$( { grep -oE 'asm (sideeffect )?"[^"]*", "[^"]*"' "$work/original.ll" || true; } | sort -u | wc -l)
rewrite=()
for i in "${!names[@]}"; do
  text=$(asm_of "${keys[$i]}" "$work/original.ll")
  [[ -n "$text" ]] || continue
  blocks=$((blocks - 1))
  [[ "$(printf '%s\n' "$text" | md5sum | cut -d' ' -f1)" == "${sums[$i]}" ]] ||
    fail "inline PTX block ${names[$i]} is not the text host_intrinsics.cpp transcribes (another CUDA version?)"
  rewrite+=(-e "s/asm (sideeffect )?\"[^\"]*${keys[$i]}[^\"]*\", \"[^\"]*\"/@tl_ptx.${names[$i]}/g")
done
((blocks == 0)) || fail "the kept functions have inline PTX that host_intrinsics.cpp does not transcribe"
rewrite+=(-e 's/^$//')  # sed needs one expression even when no block is kept

"$bin/llvm-dis" "$bc" -o "$work/libdevice.ll"
sed -E -e 's/^target datalayout = .*/target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"/' \
  -e 's/^target triple = .*/target triple = "x86_64-pc-linux-gnu"/' \
  -e 's/ addrspace\([0-9]+\)//g' -e 's/addrspacecast/bitcast/g' -e 's/@llvm\.nvvm\./@tl_nvvm./g' "${rewrite[@]}" \
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
  fail "inline assembly left in the kept functions ($keep)"
fi
"$bin/llc" -O2 -filetype=obj -relocation-model=pic "$work/kept.bc" -o "$work/kept.o"
provided=$(grep -oE '"tl_(nvvm|ptx)\.[^"]+"' "$intrinsics" | tr -d '"'; echo __nvvm_reflect)  # the asm labels
for symbol in $("$bin/llvm-nm" --undefined-only "$work/kept.o" | awk '{ print $2 }'); do
  grep -qxF "$symbol" <<<"$provided" || fail "the kept functions call $symbol, which host_intrinsics.cpp does not define"
done
mv "$work/kept.o" "$out"
