#!/usr/bin/env bash
# Installs every Debian package that building and testing TorchLean C++ needs.
# Idempotent: when all packages are already installed it exits at once without touching apt.
# Usage: scripts/install-deps.sh            (build + test dependencies)
#        scripts/install-deps.sh --bench    (also the PyTorch CPU peer used by bench/)
set -euo pipefail

packages=(
  build-essential cmake make ninja-build pkg-config ccache clang
  llvm-14  # opt, llc, llvm-as, llvm-dis: CUDA's libdevice compiled for the host (cuda/libdevice/)
  libboost-dev libmpfr-dev libgmp-dev libmpfi-dev
  librapidcheck-dev libgtest-dev libgmock-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-torch python3-numpy libopenblas0-openmp hyperfine)
elif [[ -n "${1:-}" ]]; then
  echo "install-deps.sh: unknown argument '$1' (expected nothing or --bench)" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps.sh: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
