#!/usr/bin/env bash
# Builds rift's CUDA kernels (kernels/src/main/cuda) into one fatbin resource:
#   kernels/src/main/resources/rift/cuda/rift_kernels.fatbin   SASS sm_80 + sm_90, PTX compute_90
#   kernels/src/main/resources/rift/cuda/rift_kernels.sha256   hash of the sources it was built from
# The hash covers every .cu/.cuh file and nvcc.flags (sha256sum of each, sorted by name, then
# sha256sum of that listing; CudaSourcesHashTest computes the same and fails when they differ).
# Skips the build when the recorded hash matches, unless --force. nvcc: $NVCC, else nvcc on PATH,
# else /usr/local/bin/nvcc. Usage: scripts/build-cuda.sh [--force] [--check]
#   --check  only compare the hash; exit 1 when the fatbin is stale
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/kernels/src/main/cuda"
out="$root/kernels/src/main/resources/rift/cuda"
force=0 check=0
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    --check) check=1 ;;
    *) echo "usage: $0 [--force] [--check]" >&2; exit 2 ;;
  esac
done

hash="$(cd "$src" && find . -maxdepth 1 -type f \( -name '*.cu' -o -name '*.cuh' -o -name 'nvcc.flags' \) \
  | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)"
recorded="$(head -n1 "$out/rift_kernels.sha256" 2>/dev/null | cut -d' ' -f1 || true)"

if [ "$check" = 1 ]; then
  if [ "$hash" = "$recorded" ] && [ -f "$out/rift_kernels.fatbin" ]; then echo "rift_kernels.fatbin is up to date ($hash)"; exit 0; fi
  echo "rift_kernels.fatbin is stale: sources $hash, recorded ${recorded:-none}; run scripts/build-cuda.sh" >&2
  exit 1
fi
if [ "$force" = 0 ] && [ "$hash" = "$recorded" ] && [ -f "$out/rift_kernels.fatbin" ]; then
  echo "rift_kernels.fatbin is up to date ($hash)"
  exit 0
fi

nvcc="${NVCC:-}"
if [ -z "$nvcc" ]; then nvcc="$(command -v nvcc || true)"; fi
if [ -z "$nvcc" ] && [ -x /usr/local/bin/nvcc ]; then nvcc=/usr/local/bin/nvcc; fi
if [ -z "$nvcc" ]; then echo "nvcc not found: set NVCC or put the CUDA toolkit on PATH" >&2; exit 1; fi

mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046  # the flags file is a word list on purpose
"$nvcc" -fatbin $(cat "$src/nvcc.flags") -Xptxas -v -o "$tmp/rift_kernels.fatbin" "$src/rift_kernels.cu" 2>"$tmp/ptxas.log" \
  || { cat "$tmp/ptxas.log" >&2; exit 1; }
if grep -E "[1-9][0-9]* bytes spill" "$tmp/ptxas.log" >&2; then echo "warning: register spills (above)" >&2; fi
mv "$tmp/rift_kernels.fatbin" "$out/rift_kernels.fatbin"
{
  echo "$hash"
  echo "# sha256 of kernels/src/main/cuda (*.cu, *.cuh, nvcc.flags) that rift_kernels.fatbin was built from by scripts/build-cuda.sh"
  echo "# $("$nvcc" --version | tail -n2 | head -n1)"
} >"$out/rift_kernels.sha256"
echo "built $out/rift_kernels.fatbin ($(stat -c %s "$out/rift_kernels.fatbin") bytes) from $hash"
