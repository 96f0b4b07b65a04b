#!/usr/bin/env bash
# Prepares what kernels/gpu-check.sh needs on the GPU machine (which has no Java, no Maven, no
# network) in .device-carry/ (git-ignored; name it in the device run's `carry`):
#   jre.tar.xz   a jlink'd Temurin 25 runtime (java.base, jdk.incubator.vector, jdk.unsupported,
#                java.logging, java.management), about 25 MB
#   jars/        rift-kernels.jar, jcuda-12.6.0.jar and a slim jcuda natives jar holding only
#                libJCudaDriver (JCublas/JNvrtc/runtime natives are not needed: cuBLAS goes through FFM);
#                only without --with-trainer (rift.jar holds all of it)
#   rift.jar     with --with-trainer: the trainer's shaded jar (the rift CLI: rift parity, rift bench) minus
#                the natives the GPU machine does not use: OpenBLAS (gpu-check.sh runs -Drift.gemm=java) and
#                the JCuda runtime/NVRTC libraries; about 19 MB instead of 32, so that the tracked tree, the
#                JRE and the jar fit the device tool's 64 MiB
# Usage: scripts/device-runtime.sh [--with-trainer]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$JAVA_HOME/bin/jlink" ] || { echo "no JDK 25 at $JAVA_HOME (set JAVA_HOME)" >&2; exit 1; }
with_trainer=0
[ "${1:-}" = "--with-trainer" ] && with_trainer=1

carry="$root/.device-carry"
rm -rf "$carry"
mkdir -p "$carry/jars"

echo "== building the kernels jar"
if [ "$with_trainer" = 1 ]; then
  mvn -o -q -B -DskipTests package
else
  mvn -o -q -B -DskipTests -pl kernels package
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ "$with_trainer" = 1 ]; then
  rmdir "$carry/jars"
  # the shaded jar without what the GPU check never loads (entries dropped by name prefix): OpenBLAS's natives
  # (it runs with -Drift.gemm=java), JCuda's other libraries, and the PDF library xchart carries (reports only)
  python3 - trainer/target/rift.jar "$carry/rift.jar" <<'PY'
import sys, zipfile
drop = ("org/bytedeco/openblas/linux-x86_64/", "lib/libJCudaRuntime-", "lib/libJNvrtc-", "lib/libJCublas", "org/apache/pdfbox/",
        "org/apache/fontbox/")
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
    for info in src.infolist():
        if not info.filename.startswith(drop):
            dst.writestr(info, src.read(info.filename))
PY
  cp_smoke="$carry/rift.jar"
else
  cp kernels/target/rift-kernels-*.jar "$carry/jars/rift-kernels.jar"
  m2="${M2_REPO:-$HOME/.m2/repository}"
  cp "$m2/org/jcuda/jcuda/12.6.0/jcuda-12.6.0.jar" "$carry/jars/"
  natives="$m2/org/jcuda/jcuda-natives/12.6.0/jcuda-natives-12.6.0-linux-x86_64.jar"
  (cd "$tmp" && "$JAVA_HOME/bin/jar" xf "$natives" lib/libJCudaDriver-12.6.0-linux-x86_64.so \
    && "$JAVA_HOME/bin/jar" cf "$carry/jars/jcuda-natives-driver-12.6.0-linux-x86_64.jar" lib)
  cp_smoke="$carry/jars/*"
fi

echo "== jlink runtime"
"$JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,jdk.unsupported,java.logging,java.management \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$tmp/jre"
tar -C "$tmp" -cJf "$carry/jre.tar.xz" jre

echo "== smoke test of the carried runtime here (CPU only: the harness against itself)"
mkdir -p "$tmp/unpacked" && tar -C "$tmp/unpacked" -xJf "$carry/jre.tar.xz"
jvm=("$tmp/unpacked/jre/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Drift.gemm=java -cp "$cp_smoke")
"${jvm[@]}" rift.kernels.cuda.ParityMain --cpu-self-test --mode fp32 --only '^(linear|rmsNorm D=96|lmHead)$' >"$tmp/smoke.log" 2>&1 \
  || { cat "$tmp/smoke.log"; echo "smoke test failed" >&2; exit 1; }
tail -n 3 "$tmp/smoke.log"
if [ "$with_trainer" = 1 ]; then
  # the slim jar's CLI on the carried runtime: tokenizer natives, recipes, both trainers (the CPU against itself)
  "${jvm[@]}" rift.cli.Main parity --device cpu --model testbed --steps 2 --batch 2 --prompts 2 --samples 4 --max-new-tokens 40 \
    >"$tmp/smoke-parity.log" 2>&1 || { cat "$tmp/smoke-parity.log"; echo "rift parity smoke test failed" >&2; exit 1; }
  tail -n 1 "$tmp/smoke-parity.log"
fi

echo "== .device-carry"
du -ah "$carry" | sort -h
tracked="$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -n1 | cut -f1)"
carried="$(du -sb "$carry" | cut -f1)"
echo "working tree (tracked) $((tracked / 1048576)) MiB + carry $((carried / 1048576)) MiB = $(((tracked + carried) / 1048576)) MiB of 64 MiB"
