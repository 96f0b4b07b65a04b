package rift.cli;

import java.nio.file.Path;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rift.bench.BenchRunner;
import rift.kernels.RiftException;

/**
 * {@code rift bench train|decode|rollout|logprob|gemm|tokenizer}: rift and the PyTorch peer, measured in the same run. On a CUDA
 * device the peers are PyTorch on the same GPU (scripts/bench/torch_gpu_train.py for train and logprob, Hugging Face generate in
 * scripts/bench/hf_generate_gpu.py for rollout and decode), and logprob also times the fused log-prob kernel alone and reports
 * its achieved device-memory bandwidth against a copy measured in the same run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark a workload on this machine beside the PyTorch peer and print the ratio; ends with a RESULT {json} line.",
                "With --device cuda or cuda-bf16 the peer is PyTorch on the same GPU (train, logprob) or Hugging Face generate (rollout,"
                        + " decode), from scripts/bench; logprob also prints the fused log-prob kernel's achieved bandwidth and its share of the GPU's."})
public final class BenchCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "WHAT", description = "train | decode | rollout | logprob | gemm | tokenizer")
    String what;

    @Option(names = "--config", description = "tiny | small | qwen3-0.6b (default ${DEFAULT-VALUE}; qwen3-0.6b is for GPUs)")
    String config = "tiny";

    @Option(names = "--threads", description = "Threads for rift and the peer (default: all cores).")
    Integer threads;

    @Option(names = "--runs", description = "Timed runs; the median is reported (default ${DEFAULT-VALUE}).")
    int runs = 5;

    @Option(names = "--warmup", description = "Untimed warm-up runs (default ${DEFAULT-VALUE}).")
    int warmup = 2;

    // defaultValue and fallbackValue, not a field initialiser: with "boolean peer = true" picocli reads --no-peer as true
    @Option(names = "--peer", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run the PyTorch peer (default: true; --no-peer skips it).")
    boolean peer;

    @Option(names = "--peer-python", description = "Python with torch for the peer; on a GPU it needs torch with CUDA (and transformers"
            + " for rollout/decode) (default ${DEFAULT-VALUE}).")
    String peerPython = "/usr/bin/python3";

    @Option(names = "--peer-script", description = "Path of torch_cpu_bench.py, the CPU peer (default: shared/bench beside the checkout);"
            + " the GPU peers are found in scripts/bench.")
    Path peerScript;

    @Option(names = "--device", description = "cpu, cuda, cuda-bf16 or auto (default ${DEFAULT-VALUE}).")
    String device = "cpu";

    @Option(names = "--tokenizer", description = "tokenizer: tokenizer.json or its directory (default: shared/data/tokenizers/qwen3).")
    Path tokenizer;

    @Option(names = "--text", description = "tokenizer: JSONL whose string fields are encoded (default: shared/data/math/gsm8k/train.jsonl).")
    Path text;

    @Option(names = "--batch", description = "decode, rollout: sequences decoded together (default 8; GRPO-sized batches are larger).")
    Integer batch;

    @Option(names = "--prompt-len", description = "decode, rollout: prompt tokens per sequence (default 64).")
    Integer promptLen;

    @Option(names = "--new-tokens", description = "decode, rollout: tokens generated per sequence (default 256).")
    Integer newTokens;

    @Override
    public void run() {
        if (runs < 1 || warmup < 0) throw new RiftException("--runs must be >= 1 and --warmup >= 0");
        boolean sized = batch != null || promptLen != null || newTokens != null;
        if (sized && !what.equals("decode") && !what.equals("rollout"))
            throw new RiftException("--batch, --prompt-len and --new-tokens apply to decode and rollout, not " + what);
        int b = batch == null ? 8 : batch, p = promptLen == null ? 64 : promptLen, n = newTokens == null ? 256 : newTokens;
        if (b < 1 || p < 1 || n < 1) throw new RiftException("--batch, --prompt-len and --new-tokens must be >= 1");
        if (threads != null) {
            if (threads < 1) throw new RiftException("--threads must be >= 1");
            rift.kernels.cpu.Parallel.setThreads(threads);
        }
        BenchRunner runner = new BenchRunner(config, runs, warmup, peer, peerPython, peerScript, rift.kernels.Backends.create(device));
        ObjectNode result = switch (what) {
            case "train" -> runner.train();
            case "decode" -> runner.decode(b, p, n);
            case "logprob" -> runner.logprob();
            case "rollout" -> runner.rollout(b, p, n);
            case "gemm" -> runner.gemm();
            case "tokenizer" -> runner.tokenizer(tokenizer, text);
            default -> throw new RiftException("rift bench: unknown workload '" + what + "'; choose train, decode, rollout, logprob, gemm or tokenizer");
        };
        System.out.println("RESULT " + result);
    }
}
