#!/usr/bin/env bash
# One-shot check of rift's CUDA backend on the GPU machine (no Java, no Maven, no network there).
# Prepare here first: scripts/device-runtime.sh (builds .device-carry/: a jlink'd JRE and the jars),
# then on the GPU machine, from the repository root (carry .device-carry):
#     bash kernels/gpu-check.sh [CARRY_DIR]        (default: .device-carry)
# It unpacks the JRE, finds libcublas.so.13, runs rift.kernels.cuda.ParityMain (every Backend op,
# CUDA against CPU, fp32 and bf16 storage; resumed in a fresh JVM after a kernel fault), reruns
# failed checks under compute-sanitizer when it exists, runs the GPU timings (ParityMain --bench) and
# `rift bench --device cuda` when the CLI has that flag, and prints a summary. Logs and the results
# table go to $OUT (the device tool's result folder) or ./gpu-check-out.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
carry="$(cd "${1:-$root/.device-carry}" 2>/dev/null && pwd)" || { echo "no carry folder ${1:-.device-carry}: run scripts/device-runtime.sh first" >&2; exit 2; }
out="${OUT:-$root/gpu-check-out}"
mkdir -p "$out"
log="$out/gpu-check.log"
exec > >(tee -a "$log") 2>&1
t_start=$(date +%s)
section() { echo; echo "== $* ($(( $(date +%s) - t_start )) s)"; }

section "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>/dev/null || echo "nvidia-smi not found"
command -v nvcc >/dev/null && nvcc --version | tail -n 2

section "java runtime"
jre=/tmp/rift-jre
if [ ! -x "$jre/jre/bin/java" ]; then
  mkdir -p "$jre" && tar -C "$jre" -xJf "$carry/jre.tar.xz" || { echo "cannot unpack $carry/jre.tar.xz" >&2; exit 2; }
fi
java="$jre/jre/bin/java"
"$java" -version 2>&1 | head -n 1

section "cuBLAS"
cublas="${RIFT_CUBLAS:-}"
if [ -z "$cublas" ]; then
  for d in /usr/local/lib /usr/lib /opt /root /home /usr/local/cuda /; do
    cublas="$(find "$d" -xdev -name 'libcublas.so.13*' -not -path '/proc/*' 2>/dev/null | head -n 1)"
    [ -n "$cublas" ] && break
  done
fi
if [ -n "$cublas" ]; then
  export LD_LIBRARY_PATH="$(dirname "$cublas")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "libcublas: $cublas"
else
  echo "libcublas.so.13 not found: the CUDA backend will report it"
fi

if [ -f "$carry/rift.jar" ]; then cp="$carry/rift.jar"
elif [ -f trainer/target/rift.jar ]; then cp="trainer/target/rift.jar"
else cp="$carry/jars/*"; fi
echo "classpath: $cp"
jvm=("$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Drift.gemm=java -Xmx24g -cp "$cp")

section "parity: every Backend op, CUDA against CPU"
results="$out/parity.tsv"
rm -f "$results"
rc=3
for attempt in $(seq 1 15); do
  timeout 600 "${jvm[@]}" rift.kernels.cuda.ParityMain --resume "$results"
  rc=$?
  [ "$rc" = 3 ] || break
  echo "-- a kernel fault stopped the run; resuming in a fresh JVM (attempt $((attempt + 1)))"
done
case "$rc" in
  0) parity="all passed" ;;
  1) parity="some checks did not pass" ;;
  2) parity="CUDA backend unavailable" ;;
  124) parity="timed out (a hung kernel?)" ;;
  *) parity="ParityMain exited with $rc" ;;
esac

sanitizer="$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)"
if [ "$rc" = 1 ] && [ -n "$sanitizer" ] && [ -f "$results" ]; then
  section "compute-sanitizer memcheck on the checks that failed"
  awk -F'\t' '$3 != "PASS" {print $2}' "$results" | sort -u | head -n 6 | while read -r name; do
    pattern="^$(printf '%s' "$name" | sed 's/[][(){}.*+?^$|\\]/\\&/g')\$"
    echo "-- $name"
    timeout 300 "$sanitizer" --tool memcheck --print-limit 20 "${jvm[@]}" rift.kernels.cuda.ParityMain --only "$pattern" 2>&1 \
      | grep -E "=========|PASS|FAIL|ERROR" | head -n 60
  done
fi

section "GPU timings (ParityMain --bench)"
timeout 600 "${jvm[@]}" rift.kernels.cuda.ParityMain --no-checks --bench 2>&1 | tail -n 20

if [[ "$cp" == *rift.jar ]]; then
  section "rift bench --device cuda"
  if timeout 60 "${jvm[@]}" rift.cli.Main bench --help 2>&1 | grep -q -- "--device"; then
    timeout 600 "${jvm[@]}" rift.cli.Main bench --device cuda 2>&1 | tail -n 40
  else
    echo "skipped: this rift CLI has no 'bench --device' flag yet"
  fi
else
  section "rift bench --device cuda"
  echo "skipped: no rift.jar (scripts/device-runtime.sh --with-trainer carries it)"
fi

section "summary"
echo "parity: $parity"
if [ -f "$results" ]; then
  awk -F'\t' '{n++; if ($3 == "PASS") p++; else printf "  %s %s %s: %s\n", $3, $1, $2, substr($7, 1, 300)} END {printf "  %d of %d checks passed\n", p, n}' "$results"
fi
echo "log: $log; results: $results"
[ "$rc" = 0 ]
