#!/usr/bin/env bash
# Locates a CUDA fault that scripts/gpu-run.sh saw in a report. A fault is sticky for its process (every
# later CUDA call fails too) and, without synchronisation, surfaces under whichever op synchronises
# next; so one tl-check run cannot say which kernel faulted. Here each op, each example graph and the
# random graphs run in a process of their own with TL_CUDA_SYNC_CHECK=1 (every launch waited for): the
# units whose process reports a CUDA error hold the faulting kernels, and the first error each reports
# names its op. The ops named in REPORT_IN's error rows go first, and each op runs 50 cases per row,
# so the sweep reaches the likely culprits within gpu-run.sh's step limit. Writes a Markdown table to
# REPORT, one row per unit as it finishes, so a run cut short keeps the rows so far.
# Usage: gpu-sync-check.sh STAGE_DIR WORK_DIR REPORT_IN REPORT [GRAPH.json]...
set -uo pipefail
here="$1" work="$2" report_in="$3" report="$4"
shift 4
export TL_CUDA_SYNC_CHECK=1
mkdir -p "$work"
{
  echo "# CUDA errors located: one process per unit, every launch synchronised (TL_CUDA_SYNC_CHECK=1)"
  echo
  echo "tl-check --backend cuda --dtype float32 --threads 1 per unit; exit 124 is this script's 30 s limit."
  echo
  echo "| unit | exit | summary | first CUDA error |"
  echo "|---|---|---|---|"
} >"$report"
check_unit() {  # check_unit NAME TL-CHECK-ARGS...: one process, one row
  local name="$1" dir="$work/${1//[^A-Za-z0-9_]/_}"
  shift
  timeout -k 5 30 "$here/tl-check" --backend cuda --dtype float32 --threads 1 --quiet --out "$dir" "$@" >"$dir.log" 2>&1
  local rc=$? summary error
  summary=$(grep -m1 -o 'summary pass=[^|]*' "$dir.log")
  error=$(grep -h -o '[^|]*failed: cuda[A-Za-z]* ([0-9]*)[^|]*' "$dir.log" "$dir/report.md" 2>/dev/null | head -n 1 | sed 's/^ *//; s/ *$//')
  echo "| $name | $rc | ${summary:-none} | ${error:-} |" >>"$report"
}
all_ops=$("$here/tl-check" --list-ops | awk 'NR > 1 && $1 != "input" { print $1 }')
suspects=$(grep -E 'failed: cuda[A-Za-z]+ \(' "$report_in" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' |
           grep -xF -f <(printf '%s\n' $all_ops) | awk '!seen[$0]++' || true)
for op in $suspects $(grep -vxF -f <(printf '%s\n' $suspects "") <<<"$all_ops"); do
  check_unit "$op" --ops "$op" --graphs 0 --cases 50
done
for graph in "$@"; do check_unit "graph $(basename "$graph" .json)" --graph "$graph"; done
check_unit "8 random graphs" --ops constant --graphs 8
