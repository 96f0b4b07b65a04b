#!/usr/bin/env bash
# One-shot check of rift's CUDA backend on the GPU machine (no Java, no Maven, no network there), sized to
# finish within ~9 minutes of wall time (GPU_CHECK_BUDGET_S, default 540 s).
# Prepare here first: scripts/device-runtime.sh --with-trainer (builds .device-carry/: a jlink'd JRE and a slim
# rift.jar), then on the GPU machine, from the repository root (carry .device-carry):
#     bash kernels/gpu-check.sh [CARRY_DIR]        (default: .device-carry)
# Steps, most important first; each has a cap and runs only if the budget still holds its minimum
# (cap / minimum in seconds; expected on an H200 in brackets):
#   1. op parity: rift.kernels.cuda.ParityMain, every Backend op CUDA vs CPU, fp32 and bf16 storage; resumed in a
#      fresh JVM after a kernel fault; failures rerun under compute-sanitizer (150 / 40) [~60]
#   2. trainer parity, fp32: rift parity --device cuda (3 models: SFT step, GRPO step, rollout, teacher-forced
#      log-probs, 20-step SFT curve against the CPU)  (120 / 40) [~40]
#   3. rift bench train   --config qwen3-0.6b --device cuda-bf16 (+ PyTorch peer, MFU)          (130 / 60) [~70]
#   4. rift bench logprob --config qwen3-0.6b --device cuda-bf16 (+ peer, LM-head HBM bandwidth) (100 / 45) [~50]
#   5. rift bench rollout --config qwen3-0.6b --device cuda-bf16 (+ HF generate peer)            (140 / 60) [~90]
#   6. trainer parity, bf16: rift parity --device cuda --bf16                                    (100 / 40) [~40]
#   7. op timings: ParityMain --no-checks --bench (and the host cost of a launch, FFM vs JCuda)  (60 / 25)  [~30]
#   8. rift bench train --no-peer with -Drift.cuda.attention=fa2 (the opt-in fwd + bwd kernels)   (90 / 45)  [~40]
#   9. rift bench logprob --no-peer with the LM head tiling step 7 timed fastest, if not the default (60 / 30) [~30]
#   10. rift bench rollout --no-peer with -Drift.cuda.graphs=on (decode steps as CUDA graphs)      (60 / 25)  [~20]
#   10b. rift bench rollout --batch 64 --new-tokens 256 (GRPO-sized, + HF generate peer)         (120 / 60) [~90]
#   11-12. rift bench rollout --no-peer with -Drift.cuda.launch=jcuda, then FFM (the default)     (60 / 25)  [~20 each]
#   13. ncu (Nsight Compute) on the tensor-core attention kernels, when it is installed           (90 / 40)
# stdout stays short (one block per step); everything else goes to $OUT (the device tool's result folder,
# or ./gpu-check-out), at most 5 files: gpu-check.log (this output), details.log (every step's full
# output), op-parity.tsv, trainer-parity.tsv, bench-results.jsonl. Exit status 0 when every parity check passed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
carry="$(cd "${1:-$root/.device-carry}" 2>/dev/null && pwd)" || { echo "no carry folder ${1:-.device-carry}: run scripts/device-runtime.sh first" >&2; exit 2; }
out="${OUT:-$root/gpu-check-out}"
mkdir -p "$out"
log="$out/gpu-check.log"
details="$out/details.log"
: >"$details"
exec > >(tee -a "$log") 2>&1
t_start=$(date +%s)
budget="${GPU_CHECK_BUDGET_S:-540}"
deadline=$((t_start + budget))
steps="$(mktemp -d)"
section() { echo; echo "== $* ($(( $(date +%s) - t_start )) s)"; }
# cap MAX MIN: the seconds a step may take now (MAX, or what the budget leaves less 15 s for the summary), or 0 to skip
cap() { local left=$(( deadline - $(date +%s) - 15 )); local t=$(( left < $1 ? left : $1 )); [ "$t" -ge "$2" ] && echo "$t" || echo 0; }
# keep FILE TITLE: appends a step's full output to details.log
keep() { { echo; echo "######## $2"; cat "$1" 2>/dev/null; } >>"$details"; }
declare -A result

section "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2>/dev/null || echo "nvidia-smi not found"
py="$(command -v python3 || true)"
if [ -n "$py" ]; then
  "$py" -c 'import torch, transformers; print("python3:", torch.__version__, "cuda" if torch.cuda.is_available() else "NO CUDA", "transformers", transformers.__version__)' 2>/dev/null \
    || echo "python3 at $py lacks torch with CUDA or transformers: the benchmark peers will be skipped"
else
  echo "no python3: the benchmark peers will be skipped"; py=python3
fi

jre=/tmp/rift-jre
if [ ! -x "$jre/jre/bin/java" ]; then
  mkdir -p "$jre" && tar -C "$jre" -xJf "$carry/jre.tar.xz" || { echo "cannot unpack $carry/jre.tar.xz" >&2; exit 2; }
fi
java="$jre/jre/bin/java"
echo "java: $("$java" -version 2>&1 | head -n 1)"

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
# JVM options end the array, so a step (or a fallback) adds a -D flag by appending it
jvm=("$java" -cp "$cp" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Drift.gemm=java -Drift.home="$root" -Xmx48g)
have_cli=0
[[ "$cp" == *rift.jar ]] && have_cli=1

# ------------------------------------------------------------------ 1. op parity
section "1. op parity: every Backend op, CUDA against CPU"
ops="$out/op-parity.tsv"
rm -f "$ops"
rc=3
op_end=$(( $(date +%s) + $(cap 150 40) ))
for attempt in $(seq 1 15); do
  t=$(( op_end - $(date +%s) ))
  if [ "$t" -lt 20 ]; then [ "$attempt" = 1 ] && rc=125 || rc=124; break; fi
  timeout -k 10 "$t" "${jvm[@]}" rift.kernels.cuda.ParityMain --resume "$ops" >"$steps/op.log" 2>&1
  rc=$?
  keep "$steps/op.log" "op parity, attempt $attempt (exit $rc)"
  [ "$rc" = 3 ] || break
  echo "-- a kernel fault stopped the run; resuming in a fresh JVM (attempt $((attempt + 1)))"
done
case "$rc" in
  0) result[op]="all passed" ;;
  1) result[op]="some checks did not pass" ;;
  2) result[op]="CUDA backend unavailable: $(grep -v '^WARNING' "$steps/op.log" | grep -m1 -i 'not available\|unavailable\|error')" ;;
  124|137) result[op]="timed out (a hung kernel, or the budget ran out)" ;;
  125) result[op]="skipped: out of budget" ;;
  *) result[op]="ParityMain exited with $rc" ;;
esac
if [ -f "$ops" ]; then
  result[op]+=" ($(awk -F'\t' '{n++; if ($3 == "PASS") p++} END {printf "%d of %d checks passed", p, n}' "$ops"))"
fi
echo "${result[op]}"
[ -f "$ops" ] && awk -F'\t' '$3 != "PASS" {printf "  %s %s %s: %s\n", $3, $1, $2, substr($7, 1, 200)}' "$ops" | head -n 12
op_rc=$rc
# Many failures or a crash may be the FFM launch path (FfmLaunch) rather than the kernels: rerun op parity with
# JCuda's launches and, if that passes, keep them for the later steps (said in the summary).
if [ -f "$ops" ] && { [ "$op_rc" = 3 ] || [ "$op_rc" = 124 ] || [ "$op_rc" -gt 3 ] || \
    { [ "$op_rc" = 1 ] && [ "$(awk -F'\t' '$3 != "PASS"' "$ops" | wc -l)" -gt 5 ]; }; } && [ "$(cap 60 30)" -gt 0 ]; then
  echo "-- op parity again with -Drift.cuda.launch=jcuda (is the FFM launch at fault?)"
  timeout -k 10 "$(cap 60 30)" "${jvm[@]}" -Drift.cuda.launch=jcuda rift.kernels.cuda.ParityMain \
    --resume "$steps/op-jcuda.tsv" >"$steps/opj.log" 2>&1
  jrc=$?
  keep "$steps/opj.log" "op parity with JCuda launches (exit $jrc)"
  echo "   with JCuda launches: exit $jrc, $(awk -F'\t' '{n++; if ($3 == "PASS") p++} END {printf "%d of %d passed", p, n}' "$steps/op-jcuda.tsv" 2>/dev/null)"
  if [ "$jrc" = 0 ]; then
    jvm+=(-Drift.cuda.launch=jcuda)
    result[launch]="FFM launches failed op parity, JCuda's passed: the later steps ran with -Drift.cuda.launch=jcuda"
    echo "-- ${result[launch]}"
  fi
fi
# If the tensor-core attention or its layout probe failed, the later steps use the CUDA-core attention kernels, so
# the run still yields trainer parity and benchmark numbers (said in the summary; the TC numbers are then missing).
if [ -f "$ops" ] && [ -z "${result[launch]:-}" ] && awk -F'\t' '$3 != "PASS" && (($1 == "bf16" && $2 ~ /^attention(Backward)? / && $2 !~ /CUDA-core|^attention fa2 /) || $2 ~ /^mma /) {bad=1} END {exit !bad}' "$ops"; then
  jvm+=(-Drift.cuda.attention=simt)
  result[fallback]="tensor-core attention failed op parity: the later steps ran with -Drift.cuda.attention=simt"
  echo "-- ${result[fallback]}"
fi
# Likewise the fused ops (addRmsNorm, rmsNormRope, the keys-and-values kvWrite): their single-op compositions instead.
if [ -f "$ops" ] && awk -F'\t' '$3 != "PASS" && $2 ~ /^(addRmsNorm|rmsNormRope|kvWrite \(keys and values\))/ {bad=1} END {exit !bad}' "$ops"; then
  jvm+=(-Drift.cuda.fused=off)
  result[fused]="a fused op failed op parity: the later steps ran with -Drift.cuda.fused=off (their single-op compositions)"
  echo "-- ${result[fused]}"
fi

sanitizer="$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)"
if [ "$op_rc" = 1 ] && [ -n "$sanitizer" ] && [ -f "$ops" ] && [ "$(cap 60 30)" -gt 0 ]; then
  echo "-- compute-sanitizer memcheck on up to 3 failed checks (details.log)"
  awk -F'\t' '$3 != "PASS" {print $2}' "$ops" | sort -u | head -n 3 | while read -r name; do
    pattern="^$(printf '%s' "$name" | sed 's/[][(){}.*+?^$|\\]/\\&/g')\$"
    t="$(cap 40 15)"
    [ "$t" = 0 ] && break
    timeout -k 5 "$t" "$sanitizer" --tool memcheck --print-limit 20 "${jvm[@]}" rift.kernels.cuda.ParityMain --only "$pattern" \
      >"$steps/san.log" 2>&1
    keep "$steps/san.log" "compute-sanitizer: $name"
    echo "   $name: $(grep -c '========= Invalid\|========= Program hit' "$steps/san.log") memcheck errors"
  done
fi

# ------------------------------------------------------------------ trainer parity and benchmarks
tp="$out/trainer-parity.tsv"
rm -f "$tp"
benchjson="$out/bench-results.jsonl"
rm -f "$benchjson"

# parity MODE CAP MIN: rift parity against the CPU; prints the table's summary and any failed row
parity() {
  local mode="$1" t flags=()
  [ "$mode" = bf16 ] && flags=(--bf16)
  t="$(cap "$2" "$3")"
  if [ "$have_cli" = 0 ]; then result[parity_$mode]="skipped: no rift.jar (scripts/device-runtime.sh --with-trainer)"; echo "${result[parity_$mode]}"; return 1; fi
  if [ "$t" = 0 ]; then result[parity_$mode]="skipped: out of budget"; echo "${result[parity_$mode]}"; return 1; fi
  timeout -k 10 "$t" "${jvm[@]}" rift.cli.Main parity --device cuda "${flags[@]}" --tsv "$tp" >"$steps/parity.out" 2>"$steps/parity.err"
  local rc=$?
  keep "$steps/parity.out" "rift parity $mode (exit $rc)"
  keep "$steps/parity.err" "rift parity $mode: stderr"
  local summary
  summary="$(grep -E '^[0-9]+ checks:' "$steps/parity.out" | tail -n 1)"
  [ -n "$summary" ] || summary="no table: $(grep -v '^WARNING' "$steps/parity.err" | grep -m1 -E 'Exception|Error|error')"
  case "$rc" in
    0|1) result[parity_$mode]="$summary" ;;
    124|137) result[parity_$mode]="timed out after $t s; finished models' rows are in trainer-parity.tsv ($(awk -F'\t' -v m="$mode" \
      '$1 == m {n++; if ($7 == "FAIL") f++} END {printf "%d rows, %d failed", n, f}' "$tp" 2>/dev/null))" ;;
    *) result[parity_$mode]="exited with $rc: $(grep -m1 '^error' "$steps/parity.err")" ;;
  esac
  echo "${result[parity_$mode]}"
  grep -E ' FAIL$' -A1 "$steps/parity.out" | head -n 24
  grep -E 'done in' "$steps/parity.err" | sed 's/^/   /'
  [ "$rc" = 0 ]
}

# bench WHAT CAP MIN [KEY [JVM_FLAG|- [BENCH_ARGS...]]]: rift bench on the Qwen3-0.6B shape in bf16 storage beside its
# GPU peer; KEY names the result (default WHAT), JVM_FLAG is one more -D for rift ('-' for none)
bench() {
  local what="$1" t key="${4:-$1}" flag="${5:--}"
  local extra=("${@:6}") j=("${jvm[@]}")
  [ "$flag" != - ] && j+=("$flag")
  t="$(cap "$2" "$3")"
  if [ "$have_cli" = 0 ]; then result[bench_$key]="skipped: no rift.jar"; echo "${result[bench_$key]}"; return; fi
  if [ "$t" = 0 ]; then result[bench_$key]="skipped: out of budget"; echo "${result[bench_$key]}"; return; fi
  timeout -k 10 "$t" "${j[@]}" rift.cli.Main bench "$what" --config qwen3-0.6b --device cuda-bf16 --runs 3 --warmup 1 \
    --peer-python "$py" "${extra[@]}" >"$steps/bench.out" 2>"$steps/bench.err"
  local rc=$?
  keep "$steps/bench.out" "rift bench $what $key (exit $rc)"
  keep "$steps/bench.err" "rift bench $what $key: stderr"
  grep '^RESULT ' "$steps/bench.out" | sed 's/^RESULT //' >>"$benchjson"
  grep -v '^RESULT ' "$steps/bench.out" | head -n 12
  grep -m3 'peer exited\|could not run the peer\|gave no\|not found' "$steps/bench.err" | sed 's/^/   /'
  case "$rc" in
    0) result[bench_$key]="$(grep '^RESULT ' "$steps/bench.out" | grep -o '"tokens_per_s":[0-9.eE+-]*\|"ratio_vs_peer":[0-9.eE+-]*\|"mfu_bf16_dense":[0-9.eE+-]*\|"head_fraction_of_copy":[0-9.eE+-]*\|"head_memory_bound_fraction_of_copy":[0-9.eE+-]*\|"head_tb_per_s":[0-9.eE+-]*' | tr '\n' ' ')" ;;
    124|137) result[bench_$key]="timed out after $t s" ;;
    *) result[bench_$key]="exited with $rc: $(grep -m1 -i 'error\|exception' "$steps/bench.err")" ;;
  esac
}

section "2. trainer parity, fp32 storage: rift parity --device cuda"
parity fp32 120 40; fp32_ok=$?
section "3. rift bench train --config qwen3-0.6b --device cuda-bf16"
bench train 130 60
section "4. rift bench logprob --config qwen3-0.6b --device cuda-bf16"
bench logprob 100 45
section "5. rift bench rollout --config qwen3-0.6b --device cuda-bf16"
bench rollout 140 60
section "6. trainer parity, bf16 storage: rift parity --device cuda --bf16"
parity bf16 100 40; bf16_ok=$?

section "7. op timings (ParityMain --bench)"
t="$(cap 60 25)"
if [ "$t" -gt 0 ]; then
  timeout -k 5 "$t" "${jvm[@]}" rift.kernels.cuda.ParityMain --no-checks --bench >"$steps/opbench.log" 2>&1
  keep "$steps/opbench.log" "ParityMain --bench (exit $?)"
  grep -E 'ms .*(TFLOP|GB)/s|per launch|not available|failed' "$steps/opbench.log" | head -n 40 || grep -v '^WARNING' "$steps/opbench.log" | tail -n 2
else
  echo "skipped: out of budget"
fi

section "8. the opt-in fa2 attention kernels (forward and backward) in a whole step: rift bench train --no-peer, -Drift.cuda.attention=fa2"
if [ -f "$ops" ] && awk -F'\t' '$2 ~ /^attention fa2 / && $3 != "PASS" {bad=1} END {exit !bad}' "$ops"; then
  result[bench_train_fa2]="skipped: an fa2 kernel (forward or backward) failed op parity"; echo "${result[bench_train_fa2]}"
elif [ -n "${result[fallback]:-}" ]; then
  result[bench_train_fa2]="skipped: the tensor-core attention fell back to CUDA cores"; echo "${result[bench_train_fa2]}"
else
  bench train 90 45 train_fa2 -Drift.cuda.attention=fa2 --no-peer
fi

section "9. the log-prob bench with the LM head tiling step 7 timed fastest (no-grad forward), when not the default"
# lines like "  BF16  0.6B head no-grad fwd, tiles 1024x8192 (32 MB block)   2.10 ms   605.0 TFLOP/s"
best="$(awk '/0.6B head no-grad fwd, tiles / {for (i = 1; i <= NF; i++) if ($i == "tiles") t = $(i + 1); for (i = 1; i <= NF; i++) if ($i == "ms") ms = $(i - 1);
  if (best == "" || ms + 0 < bestMs) {best = t; bestMs = ms + 0}} END {print best}' "$out/details.log" 2>/dev/null)"
if [ -z "$best" ]; then
  result[bench_logprob_tiles]="skipped: step 7 timed no tilings"; echo "${result[bench_logprob_tiles]}"
elif [ "$best" = 2048x16384 ]; then
  result[bench_logprob_tiles]="skipped: the default tiling 2048x16384 was the fastest"; echo "${result[bench_logprob_tiles]}"
else
  echo "fastest tiling: $best"
  bench logprob 60 30 logprob_tiles "-Drift.cuda.headTiles=$best" --no-peer
  result[bench_logprob_tiles]="tiles $best: ${result[bench_logprob_tiles]}"
fi

section "10. decode steps replayed as CUDA graphs: rift bench rollout --no-peer, -Drift.cuda.graphs=on"
if [ -f "$ops" ] && awk -F'\t' '$2 ~ /^graph replay/ && $3 != "PASS" {bad=1} END {exit !bad}' "$ops"; then
  result[bench_rollout_graphs]="skipped: graph replay failed op parity"; echo "${result[bench_rollout_graphs]}"
else
  bench rollout 60 25 rollout_graphs -Drift.cuda.graphs=on --no-peer
  grep -m1 'CUDA graphs' "$steps/bench.out" | sed 's/^ */   /'
fi

section "10b. rift bench rollout at a GRPO batch: --batch 64 --new-tokens 256"
bench rollout 120 60 rollout64 - --batch 64 --new-tokens 256
section "11. kernel launches through JCuda instead of FFM: rift bench rollout --no-peer, -Drift.cuda.launch=jcuda"
bench rollout 60 25 rollout_jcuda -Drift.cuda.launch=jcuda --no-peer
section "12. the same through FFM: rift bench rollout --no-peer"
bench rollout 60 25 rollout_ffm - --no-peer

section "13. Nsight Compute on the tensor-core attention kernels (when ncu is there and may read the counters)"
ncu="$(command -v ncu || ls /usr/local/cuda/bin/ncu /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -n 1 || true)"
t="$(cap 90 40)"
if [ -z "$ncu" ]; then
  echo "ncu not found"
elif [ "$t" = 0 ]; then
  echo "skipped: out of budget"
else
  # the first 6 launches of the default hd 128 kernels in ParityMain --bench: the forward's warm-up and 3 timed runs, then one dQ
  # and one dK/dV pass; speed of light, occupancy and warp stall reasons, for the next tuning step
  timeout -k 5 "$t" "$ncu" --target-processes all --kernel-name-base function \
    --kernel-name 'regex:rift_attn_(fwd|dq|dkdv)_tc_hd128' --launch-count 6 \
    --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats --section MemoryWorkloadAnalysis \
    "${jvm[@]}" rift.kernels.cuda.ParityMain --no-checks --bench >"$steps/ncu.log" 2>&1
  echo "ncu exit $?"
  keep "$steps/ncu.log" "ncu on the tensor-core attention kernels"
  grep -E 'rift_attn_|Compute \(SM\) Throughput|Memory Throughput|Achieved Occupancy|Registers Per Thread|ERR_NVGPUCTRPERM|Warp Cycles Per Issued' "$steps/ncu.log" | head -n 30
fi

section "summary"
{
  echo "op parity:            ${result[op]}"
  [ -n "${result[fallback]:-}" ] && echo "attention:            ${result[fallback]}"
  [ -n "${result[launch]:-}" ] && echo "launches:             ${result[launch]}"
  [ -n "${result[fused]:-}" ] && echo "fused ops:            ${result[fused]}"
  echo "trainer parity fp32:  ${result[parity_fp32]:-not run}"
  echo "trainer parity bf16:  ${result[parity_bf16]:-not run}"
  for w in train train_fa2 logprob logprob_tiles rollout rollout_graphs rollout64 rollout_jcuda rollout_ffm; do printf 'bench %-16s %s\n' "$w:" "${result[bench_$w]:-not run}"; done
} | cut -c1-220
echo "wall time $(( $(date +%s) - t_start )) s of a $budget s budget; files in $out: $(cd "$out" && ls | tr '\n' ' ')"
rm -rf "$steps"
[ "$op_rc" = 0 ] && [ "$fp32_ok" = 0 ] && [ "$bf16_ok" = 0 ]
