package rift.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import rift.kernels.Backend;
import rift.kernels.cpu.Gemm;
import rift.kernels.cpu.Parallel;

/** Runs one benchmark workload, the peer beside it, and prints a small table with the ratio. */
public final class BenchRunner {
    private final BenchConfig bc;
    private final int runs, warmup;
    private final boolean withPeer;
    private final String python;
    private final Path peerScript;
    private final Backend be;
    /** A CUDA backend: the peers are PyTorch on the same GPU (scripts/bench), not the CPU peer. */
    private final boolean gpu;
    private static final ObjectMapper JSON = new ObjectMapper();

    public BenchRunner(String config, int runs, int warmup, boolean withPeer, String python, Path peerScript, Backend be) {
        this(BenchConfig.of(config), runs, warmup, withPeer, python, peerScript, be);
    }

    /** Any shape (the tests run the GPU branches on a micro shape over the kernel emulator). */
    BenchRunner(BenchConfig bc, int runs, int warmup, boolean withPeer, String python, Path peerScript, Backend be) {
        this.be = be;
        this.gpu = be.name().startsWith("cuda");
        this.bc = bc;
        this.runs = runs;
        this.warmup = warmup;
        this.withPeer = withPeer;
        this.python = python;
        this.peerScript = peerScript;
    }

    private ObjectNode base(String what) {
        ObjectNode r = JSON.createObjectNode();
        r.put("what", what);
        r.put("config", bc.name());
        r.put("device", be.name());
        r.put("threads", Parallel.threads());
        r.put("gemm", Gemm.implementation());
        return r;
    }

    private JsonNode peer(String kind, String... args) {
        if (!withPeer) return null;
        Path script = Peer.locate(peerScript);
        if (script == null) {
            System.err.println("rift bench: shared/bench/torch_cpu_bench.py not found; pass --peer-script or --no-peer");
            return null;
        }
        System.err.println("rift bench: running the PyTorch peer (" + kind + ") ...");
        for (JsonNode n : Peer.run(python, script, Parallel.threads(), warmup, runs, args))
            if (n.path("kind").asText().equals(kind) && (!kind.equals("gen") || n.path("mode").asText().equals("greedy"))) return n;
        return null;
    }

    /** The GPU peer of a workload (PyTorch on the same GPU, same storage type as rift), or null when it cannot run. */
    private JsonNode gpuPeer(String script, String kind, String... args) {
        if (!withPeer) return null;
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(args));
        a.addAll(java.util.List.of("--config", bc.name(), "--dtype", be.lowPrecisionStorage() ? "bf16" : "fp32", "--runs", String.valueOf(runs),
                "--warmup", String.valueOf(warmup)));
        return GpuPeer.run(python, script, kind, a.toArray(String[]::new));
    }

    /** MFU denominator: the measured CPU sgemm peak (NaN on another backend, whose peak this does not measure). */
    private double peakGflops() {
        if (!be.name().equals("cpu")) return Double.NaN;
        return Gemm.measurePeakGflops(bc == BenchConfig.TINY ? 1024 : 2048, 3);
    }

    private String storage() {
        return be.lowPrecisionStorage() ? "bf16 storage, fp32 masters" : "fp32";
    }

    private String where() {
        return gpu ? be.name() + " (" + HeadBandwidth.Cuda.deviceName(be) + ")" : Parallel.threads() + " threads";
    }

    private static void row(String label, double riftValue, double peerValue, String unit) {
        String ratio = Double.isNaN(peerValue) ? "-" : String.format(Locale.ROOT, "%.2fx", riftValue / peerValue);
        String p = Double.isNaN(peerValue) ? "-" : String.format(Locale.ROOT, "%,.1f", peerValue);
        System.out.printf(Locale.ROOT, "  %-26s %14s %14s %8s%n", label + " (" + unit + ")", String.format(Locale.ROOT, "%,.1f", riftValue), p, ratio);
    }

    private static void header(String title) {
        System.out.println(title);
        System.out.printf(Locale.ROOT, "  %-26s %14s %14s %8s%n", "", "rift", "PyTorch", "ratio");
    }

    public ObjectNode train() {
        var step = new Workloads.TrainStep(bc, be);
        Timing.Stats t = Timing.time(step, warmup, runs);
        double tokens = (double) bc.batch() * bc.seq(), tps = tokens / t.median(), gflops = bc.trainFlops() / t.median() / 1e9;
        double peak = peakGflops();
        double peerTps, peerMs, peerGf;
        if (gpu) {
            JsonNode p = gpuPeer(GpuPeer.TRAIN, "train", "--what", "train");
            peerTps = p == null ? Double.NaN : p.path("tok_per_s").asDouble();
            peerMs = p == null ? Double.NaN : p.path("ms_per_step").asDouble();
            peerGf = p == null ? Double.NaN : 1000 * p.path("model_tflops").asDouble();
        } else {
            JsonNode p = peer("train", "train", "--config", bc.name());
            peerTps = p == null ? Double.NaN : p.path("tok_per_s").path("median").asDouble();
            peerMs = p == null ? Double.NaN : 1000 * p.path("step_sec").path("median").asDouble();
            peerGf = p == null ? Double.NaN : p.path("model_gflops").path("median").asDouble();
        }
        header(String.format(Locale.ROOT, "train step, %s config (B=%d, T=%d), %s, %s, median of %d", bc.name(), bc.batch(), bc.seq(),
                storage(), where(), runs));
        row("tokens/s", tps, peerTps, "tok/s");
        row("step time", 1000 * t.median(), peerMs, "ms");
        row("model GFLOP/s", gflops, peerGf, "GFLOP/s");
        double[] ph = step.phases(() -> HeadBandwidth.Cuda.synchronize(be)); // one more step, synchronised between phases
        System.out.printf(Locale.ROOT, "  phases of one more step (synchronised): forward + LM head + loss %.1f ms, backward %.1f ms,"
                + " optimizer %.1f ms%n", 1000 * ph[0], 1000 * ph[1], 1000 * ph[2]);
        var profile = HeadBandwidth.Cuda.profile(be, true, () -> step.phases(() -> {})); // and one more, op by op
        if (profile != null) {
            System.out.printf(Locale.ROOT, "  ops of one more step, each synchronised (%.1f ms in all; a rate is the op's useful work over its time,"
                    + " which includes one synchronisation): %s%n", profile.totalMs(), top(profile, true));
        }
        GpuSpecs specs = gpu ? GpuSpecs.of(HeadBandwidth.Cuda.deviceName(be)) : null;
        if (specs != null)
            System.out.printf(Locale.ROOT, "  MFU %.1f%% of the %s's dense bf16 peak %.0f TFLOP/s%s; PyTorch %.1f%% (loss %.4f)%n",
                    100 * gflops / 1000 / specs.bf16DenseTflops(), specs.model(), specs.bf16DenseTflops(),
                    be.lowPrecisionStorage() ? "" : " (fp32 storage: not a bf16 run)", 100 * peerGf / 1000 / specs.bf16DenseTflops(), step.lastLoss);
        else if (Double.isNaN(peak)) System.out.printf(Locale.ROOT, "  MFU: n/a on %s (no peak known for this device) (loss %.4f)%n", be.name(), step.lastLoss);
        else System.out.printf(Locale.ROOT, "  MFU %.1f%% of the measured sgemm peak %.1f GFLOP/s (loss %.4f)%n", 100 * gflops / peak, peak, step.lastLoss);
        ObjectNode r = base("train");
        if (specs != null) {
            r.put("gpu", HeadBandwidth.Cuda.deviceName(be));
            r.put("mfu_bf16_dense", gflops / 1000 / specs.bf16DenseTflops());
            r.put("bf16_dense_peak_tflops", specs.bf16DenseTflops());
        }
        r.put("tokens_per_s", tps);
        r.put("ms_per_step", 1000 * t.median());
        r.put("ms_forward", 1000 * ph[0]);
        r.put("ms_backward", 1000 * ph[1]);
        r.put("ms_optimizer", 1000 * ph[2]);
        if (profile != null) {
            ObjectNode ops = r.putObject("ops_ms_synchronised"), rates = r.putObject("ops_rate_synchronised");
            for (var e : profile.entries()) {
                ops.put(e.op(), e.ms());
                if (!e.rate().isEmpty()) rates.put(e.op(), e.rate());
            }
        }
        r.put("gflops", gflops);
        if (!Double.isNaN(peak)) {
            r.put("mfu", gflops / peak);
            r.put("sgemm_peak_gflops", peak);
        }
        putPeer(r, peerTps, tps);
        return r;
    }

    public ObjectNode decode() {
        return decode(8, 64, 256);
    }

    public ObjectNode decode(int batch, int prompt, int newTokens) {
        var d = new Workloads.Decode(bc, batch, prompt, newTokens, be);
        Timing.Stats t = Timing.time(d, warmup, runs);
        double tps = batch * (double) newTokens / t.median();
        JsonNode p = gpu ? gpuPeer(GpuPeer.GENERATE, "gen", "--greedy", "--batch", String.valueOf(batch), "--prompt", String.valueOf(prompt),
                "--new-tokens", String.valueOf(newTokens))
                : peer("gen", "gen", "--config", bc.name(), "--gen-batch", String.valueOf(batch), "--prompt", String.valueOf(prompt),
                "--new-tokens", String.valueOf(newTokens));
        double peerTps = p == null ? Double.NaN : gpu ? p.path("tok_per_s").asDouble() : p.path("tok_per_s").path("median").asDouble();
        double peerSec = p == null ? Double.NaN : gpu ? p.path("sec").asDouble() : p.path("total_sec").path("median").asDouble();
        header(String.format(Locale.ROOT, "greedy decode with KV cache, %s config (batch %d, prompt %d, %d new), %s%s", bc.name(), batch,
                prompt, newTokens, where(), gpu ? "; peer: Hugging Face generate" : ""));
        row("tokens/s", tps, peerTps, "tok/s");
        row("total time", 1000 * t.median(), 1000 * peerSec, "ms");
        ObjectNode r = base("decode");
        r.put("tokens_per_s", tps);
        r.put("ms_per_step", 1000 * t.median() / newTokens);
        r.put("gflops", bc.forwardFlops(batch, prompt + newTokens) / t.median() / 1e9);
        putPeer(r, peerTps, tps);
        return r;
    }

    /** Batched sampling (temperature 1) through the rollout engine, as GRPO generates; the peer's sampled decode. */
    public ObjectNode rollout() {
        return rollout(8, 64, 256);
    }

    public ObjectNode rollout(int batch, int prompt, int newTokens) {
        var r = new Workloads.Rollout(bc, batch, prompt, newTokens, be);
        Timing.Stats t = Timing.time(r, warmup, runs);
        double tps = r.tokens / t.median();
        JsonNode p = null;
        if (gpu) {
            p = gpuPeer(GpuPeer.GENERATE, "gen", "--batch", String.valueOf(batch), "--prompt", String.valueOf(prompt), "--new-tokens",
                    String.valueOf(newTokens));
        } else if (withPeer) {
            Path script = Peer.locate(peerScript);
            if (script != null)
                for (JsonNode n : Peer.run(python, script, Parallel.threads(), warmup, runs, "gen", "--config", bc.name(), "--gen-batch",
                        String.valueOf(batch), "--prompt", String.valueOf(prompt), "--new-tokens", String.valueOf(newTokens)))
                    if (n.path("kind").asText().equals("gen") && n.path("mode").asText().equals("sampled")) p = n;
        }
        double peerTps = p == null ? Double.NaN : gpu ? p.path("tok_per_s").asDouble() : p.path("tok_per_s").path("median").asDouble();
        header(String.format(Locale.ROOT, "rollout sampling (T=1) with KV cache, %s config (batch %d, prompt %d, up to %d new), %s%s",
                bc.name(), batch, prompt, newTokens, where(), gpu ? "; peer: Hugging Face generate, do_sample, exactly " + newTokens + " new" : ""));
        row("tokens/s", tps, peerTps, "tok/s");
        // one more rollout, each op's host time (a decode step is bound by issuing its ~20 ops per layer)
        var profile = HeadBandwidth.Cuda.profile(be, false, r);
        if (profile != null)
            System.out.printf(Locale.ROOT, "  host time per op of one more rollout, not synchronised (%.1f ms in all): %s%n", profile.totalMs(), top(profile, false));
        String graphs = HeadBandwidth.Cuda.graphStatus(be);
        if (graphs != null) System.out.println("  CUDA graphs (-Drift.cuda.graphs): " + graphs);
        ObjectNode o = base("rollout");
        o.put("tokens_per_s", tps);
        if (graphs != null) o.put("cuda_graphs", graphs);
        o.put("ms_per_step", 1000 * t.median() / newTokens);
        if (profile != null) {
            ObjectNode ops = o.putObject("ops_host_ms");
            for (var e : profile.entries()) ops.put(e.op(), e.ms());
        }
        putPeer(o, peerTps, tps);
        return o;
    }

    /** The 16 ops that took longest, "op ms (xcalls)", or "op ms (xcalls, rate)" with rates. */
    private static String top(rift.kernels.cuda.OpProfile profile, boolean rates) {
        StringBuilder top = new StringBuilder();
        for (var e : profile.entries().subList(0, Math.min(16, profile.entries().size()))) {
            String rate = rates && !e.rate().isEmpty() ? ", " + e.rate() : "";
            top.append(String.format(Locale.ROOT, "%s%s %.1f ms (x%d%s)", top.isEmpty() ? "" : ", ", e.op(), e.ms(), e.calls(), rate));
        }
        return top.toString();
    }

    public ObjectNode logprob() {
        int b = bc == BenchConfig.TINY ? 8 : 4, prompt = 64, completion = bc == BenchConfig.TINY ? 256 : bc.seq() - 64;
        var lp = new Workloads.LogProb(bc, b, prompt, completion, be);
        Timing.Stats t = Timing.time(lp, warmup, runs);
        double tps = b * (double) completion / t.median(), gflops = bc.forwardFlops(b, prompt + completion - 1) / t.median() / 1e9;
        double peerTps, peerGf;
        if (gpu) {
            JsonNode p = gpuPeer(GpuPeer.TRAIN, "logprob", "--what", "logprob", "--batch", String.valueOf(b), "--prompt", String.valueOf(prompt));
            peerTps = p == null ? Double.NaN : p.path("completion_tok_per_s").asDouble();
            peerGf = p == null ? Double.NaN : 1000 * p.path("model_tflops").asDouble();
        } else {
            JsonNode p = peer("logprob", "logprob", "--config", bc.name());
            peerTps = p == null ? Double.NaN : p.path("completion_tok_per_s").path("median").asDouble();
            peerGf = p == null ? Double.NaN : p.path("model_gflops").path("median").asDouble();
        }
        header(String.format(Locale.ROOT, "log-probs of completions, %s config (B=%d, prompt %d, completion %d), %s", bc.name(), b, prompt,
                completion, where()));
        row("completion tokens/s", tps, peerTps, "tok/s");
        row("model GFLOP/s", gflops, peerGf, "GFLOP/s");
        ObjectNode r = base("logprob");
        if (gpu) {
            var w = lp.m.weights;
            HeadBandwidth.Result hb = HeadBandwidth.measure(be, w.finalNorm, w.lmHead, lp.m.config.rmsNormEps(), lp.targets, warmup, runs);
            HeadBandwidth.print(hb);
            r.put("gpu", hb.gpu());
            r.put("head_ms", 1000 * hb.headSeconds());
            r.put("head_tflops", hb.traffic().flops() / hb.headSeconds() / 1e12);
            r.put("head_bytes", hb.traffic().total());
            r.put("head_tb_per_s", hb.bytesPerS() / 1e12);
            r.put("copy_tb_per_s", hb.copyBytesPerS() / 1e12);
            r.put("head_fraction_of_copy", hb.bytesPerS() / hb.copyBytesPerS());
            if (hb.specs() != null) {
                r.put("hbm_datasheet_tb_per_s", hb.specs().hbmTbPerS());
                r.put("head_fraction_of_datasheet", hb.bytesPerS() / 1e12 / hb.specs().hbmTbPerS());
            }
            // the same kernel where it is memory-bound: few rows (a decode step's, a short batch's), so reading W dominates
            int[] few = java.util.Arrays.copyOf(lp.targets, Math.min(HeadBandwidth.MEMORY_BOUND_ROWS, lp.targets.length));
            HeadBandwidth.Result mb = HeadBandwidth.measureBeside(hb, be, w.finalNorm, w.lmHead, lp.m.config.rmsNormEps(), few, warmup, runs);
            HeadBandwidth.printMemoryBound(mb);
            r.put("head_memory_bound_rows", few.length);
            r.put("head_memory_bound_ms", 1000 * mb.headSeconds());
            r.put("head_memory_bound_fraction_of_copy", mb.fusedBytesPerS() / mb.copyBytesPerS());
        }
        r.put("tokens_per_s", tps);
        r.put("ms_per_step", 1000 * t.median());
        r.put("gflops", gflops);
        double peak = peakGflops();
        if (!Double.isNaN(peak)) r.put("mfu", gflops / peak);
        putPeer(r, peerTps, tps);
        return r;
    }

    public ObjectNode gemm() {
        ObjectNode r = base("gemm");
        header("sgemm, square n, " + Parallel.threads() + " threads, " + Gemm.implementation());
        JsonNode p = null;
        if (withPeer) {
            Path script = Peer.locate(peerScript);
            if (script != null)
                for (JsonNode n : Peer.run(python, script, Parallel.threads(), warmup, runs, "--sizes", "1024,2048", "gemm"))
                    if (n.path("lib").asText().equals("torch.mm") && n.path("n").asInt() == 2048) p = n;
        }
        double g1024 = Gemm.measurePeakGflops(1024, runs), g2048 = Gemm.measurePeakGflops(2048, runs);
        row("n=1024", g1024, Double.NaN, "GFLOP/s");
        row("n=2048", g2048, p == null ? Double.NaN : p.path("gflops").path("median").asDouble(), "GFLOP/s");
        r.put("gflops", g2048);
        r.put("gflops_1024", g1024);
        if (p != null) putPeer(r, p.path("gflops").path("median").asDouble(), g2048);
        return r;
    }

    /** Encode throughput of the Hugging Face tokenizer on one thread (target: >= 1 MB/s of text). */
    public ObjectNode tokenizer(Path tokenizer, Path text) {
        Path shared = sharedData();
        if (tokenizer == null) tokenizer = shared == null ? null : shared.resolve("tokenizers/qwen3");
        if (text == null) text = shared == null ? null : shared.resolve("math/gsm8k/train.jsonl");
        if (tokenizer == null || text == null)
            throw new rift.kernels.RiftException("rift bench tokenizer: shared/data not found; pass --tokenizer DIR and --text FILE.jsonl");
        var r = rift.tokenizer.TokenizerBench.run(tokenizer, text, 0, 3.0);
        System.out.println("tokenizer encode, one thread: " + r);
        ObjectNode o = base("tokenizer");
        o.put("threads", 1);
        o.put("mb_per_s", r.megabytesPerSecond());
        o.put("mb_per_cpu_s", r.megabytesPerCpuSecond());
        o.put("tokens_per_s", r.tokensPerSecond());
        return o;
    }

    private static Path sharedData() {
        Path script = Peer.locate(null);
        return script == null ? null : script.getParent().getParent().resolve("data");
    }

    private void putPeer(ObjectNode r, double peerValue, double riftValue) {
        if (Double.isNaN(peerValue)) return;
        r.put("peer", !gpu ? "pytorch-cpu" : r.path("what").asText().matches("rollout|decode") ? "hf-generate-cuda" : "pytorch-cuda");
        r.put("peer_value", peerValue);
        r.put("ratio_vs_peer", riftValue / peerValue);
    }
}
