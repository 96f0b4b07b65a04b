package rift.bench;

import rift.kernels.RiftException;
import rift.model.ModelConfig;

/**
 * The benchmark shapes, identical to the PyTorch peer's (shared/bench/torch_cpu_bench.py): a Qwen3-style
 * decoder with per-head q/k norm, untied LM head, RoPE theta 1e6, init std 0.02.
 */
public record BenchConfig(String name, int vocab, int d, int layers, int heads, int kvHeads, int headDim, int ffn, int seq, int batch) {
    public static final BenchConfig TINY = new BenchConfig("tiny", 512, 256, 4, 8, 4, 32, 768, 256, 8);
    public static final BenchConfig SMALL = new BenchConfig("small", 8192, 512, 8, 8, 4, 64, 1536, 512, 4);

    /** Qwen3-0.6B's shape (untied head here, as the peer): the GPU benchmark of the CUDA backend. */
    public static final BenchConfig QWEN3_06B = new BenchConfig("qwen3-0.6b", 151936, 1024, 28, 16, 8, 128, 3072, 1024, 4);

    public static BenchConfig of(String name) {
        return switch (name) {
            case "tiny" -> TINY;
            case "small" -> SMALL;
            case "qwen3-0.6b" -> QWEN3_06B;
            default -> throw new RiftException("--config must be tiny, small or qwen3-0.6b, got '" + name + "'");
        };
    }

    public ModelConfig model(int maxPositions) {
        return new ModelConfig(ModelConfig.Arch.QWEN3, vocab, d, layers, heads, kvHeads, headDim, ffn, 1_000_000.0, 1e-6f, false,
                maxPositions, null, false, false, 1, new int[] {2}, 0, 0.02);
    }

    /** Parameters that do matmul work per token: all but the input embedding (the LM head counts). */
    public long matmulParams() {
        return model(seq).parameterCount() - (long) vocab * d;
    }

    /** The peer's FLOP count for a training step: 6 N tokens + 12 L H hd T^2 B (full square attention, as it counts). */
    public double trainFlops() {
        return 6.0 * matmulParams() * batch * seq + 12.0 * layers * heads * headDim * (double) seq * seq * batch;
    }

    /** The peer's FLOP count for a forward pass over B sequences of T tokens. */
    public double forwardFlops(int b, int t) {
        return 2.0 * matmulParams() * b * t + 4.0 * layers * heads * headDim * (double) t * t * b;
    }
}
