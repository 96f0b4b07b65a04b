package rift.kernels.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import rift.kernels.Backend;
import rift.kernels.Write;
import rift.kernels.cpu.CpuBackend;

/**
 * Every {@link Backend} op run on the CPU backend (the reference) and on a device backend from the
 * same seeded inputs, compared within stated tolerances. Used by CudaParityTest (JUnit, skipped
 * without a GPU) and by {@link ParityMain} (the GPU machine has no Maven).
 *
 * <p>Error measure: max |device - cpu| / max |cpu| over each output (outputs that are all zero use the
 * absolute difference), the largest over an op's outputs. Tolerances: fp32 storage 1e-5 for forward
 * ops and 5e-5 for backward ops that sum long products (GEMM, attention, LM head), 0 where the result
 * must be bitwise (copies, gathers, the embedding); bf16 storage 2e-2, with inputs rounded to bf16 for
 * both backends so only the device's own rounding counts. Backward ops start from random gradient
 * buffers, so the accumulate (+=) semantics are compared too. Determinism checks run an op twice and
 * require the same bits.
 *
 * <p>With a CPU backend as the "device" the harness checks itself (every check must pass with
 * error 0 or near it): ParityChecksSelfTest.
 *
 * <p>This class is the list: the checks themselves live in themed groups ({@link ElementwiseChecks},
 * {@link DenseChecks}, {@link NormRopeChecks}, {@link AttentionChecks}, {@link DecodeChecks},
 * {@link HeadChecks}, {@link OptimizerChecks}, {@link SamplingChecks}, {@link DeterminismChecks}), which
 * share their inputs and comparisons through {@link ParityCheckGroup}.
 */
public final class ParityChecks {
    /** One check's outcome. */
    public record Result(String name, boolean pass, double error, double tolerance, String detail) {}

    /** A named check; run() may throw (the caller records that as an error). */
    public record Check(String name, java.util.function.Supplier<Result> body) {
        public Result run() {
            return body.get();
        }
    }

    final Backend cpu = new CpuBackend();
    final Backend dev;
    final boolean bf16;
    /** The generator of the check now running: {@link #add} seeds a fresh one from the check's name. */
    SplittableRandom random;

    private final ElementwiseChecks elementwise;
    private final DenseChecks dense;
    private final NormRopeChecks normRope;
    private final AttentionChecks attention;
    private final DecodeChecks decode;
    private final HeadChecks head;
    private final OptimizerChecks optimizer;
    private final SamplingChecks sampling;
    private final DeterminismChecks determinism;

    /** dev: the backend under test; bf16: whether its storage is bf16 (inputs are rounded for both sides). */
    public ParityChecks(Backend dev, boolean bf16) {
        this.dev = dev;
        this.bf16 = bf16;
        this.elementwise = new ElementwiseChecks(this);
        this.dense = new DenseChecks(this);
        this.normRope = new NormRopeChecks(this);
        this.attention = new AttentionChecks(this);
        this.decode = new DecodeChecks(this);
        this.head = new HeadChecks(this);
        this.optimizer = new OptimizerChecks(this);
        this.sampling = new SamplingChecks(this);
        this.determinism = new DeterminismChecks(this);
    }

    public String mode() {
        return bf16 ? "bf16" : "fp32";
    }

    public List<Check> checks() {
        List<Check> c = new ArrayList<>();
        add(c, "upload/download", elementwise::uploadDownload);
        add(c, "copy+convert", elementwise::copyConvert);
        add(c, "zero", elementwise::zero);
        add(c, "scale", elementwise::scale);
        add(c, "add", elementwise::add);
        add(c, "add (out aliases a)", elementwise::addAliased);
        add(c, "sumSquares", optimizer::sumSquares);
        add(c, "sumSquares (list)", optimizer::sumSquaresList);
        add(c, "sumSquares (multi-tensor, mixed sizes and types)", optimizer::sumSquaresMixed);
        add(c, "linear", () -> dense.linear(false));
        add(c, "linear+bias", () -> dense.linear(true));
        add(c, "linearBackward", () -> dense.linearBackward(Write.ADD));
        add(c, "linearBackward (dx set)", () -> dense.linearBackward(Write.SET));
        add(c, "gemm batched (4 transposes)", dense::gemmBatched);
        add(c, "embedding", normRope::embedding);
        add(c, "embeddingBackward", normRope::embeddingBackward);
        add(c, "rmsNorm D=96", () -> normRope.rmsNorm(33, 96));
        add(c, "rmsNorm D=1000", () -> normRope.rmsNorm(5, 1000));
        add(c, "rmsNorm D=768 (8-element groups)", () -> normRope.rmsNorm(11, 768));
        add(c, "rmsNormBackward D=96", () -> normRope.rmsNormBackward(33, 96, Write.ADD));
        add(c, "rmsNormBackward D=1000", () -> normRope.rmsNormBackward(5, 1000, Write.ADD));
        add(c, "rmsNormBackward D=768 (8-element groups)", () -> normRope.rmsNormBackward(11, 768, Write.ADD));
        add(c, "rmsNormBackward 65 rows D=128 (dw over 3 chunks, the last partial)", () -> normRope.rmsNormBackward(65, 128, Write.ADD));
        add(c, "rmsNormBackward 140,001 rows D=8 (dw chunks of 35 rows)", () -> normRope.rmsNormBackward(140_001, 8, Write.ADD));
        add(c, "rmsNormBackward D=96 (dx set)", () -> normRope.rmsNormBackward(33, 96, Write.SET));
        add(c, "rmsNormBackward D=768 (dx set, 8-element groups)", () -> normRope.rmsNormBackward(11, 768, Write.SET));
        add(c, "rope", () -> normRope.rope(false));
        add(c, "ropeBackward", () -> normRope.rope(true));
        for (AttentionChecks.AttnCase a : AttentionChecks.ATTENTION_CASES) {
            add(c, "attention " + a.label(), () -> attention.attention(a, false));
            add(c, "attentionBackward " + a.label(), () -> attention.attention(a, true));
        }
        if (bf16) { // bf16 at hd 64/128 runs on tensor cores; the CUDA-core kernels stay its fallback (and a diagnosis)
            AttentionChecks.AttnCase hd128 = AttentionChecks.ATTENTION_CASES.get(1);
            add(c, "attention " + hd128.label() + " (CUDA-core kernels)", () -> AttentionChecks.simt(() -> attention.attention(hd128, false)));
            add(c, "attentionBackward " + hd128.label() + " (CUDA-core kernels)", () -> AttentionChecks.simt(() -> attention.attention(hd128, true)));
            for (AttentionChecks.AttnCase a : AttentionChecks.FA2_CASES) add(c, "attention fa2 " + a.label(), () -> attention.attentionFa2(a));
            for (AttentionChecks.Fa2BwdCase a : AttentionChecks.FA2_BWD_CASES) add(c, "attention fa2 bwd " + a.shape().label(), () -> attention.attentionFa2Backward(a));
        }
        add(c, "mma fragment layouts (tensor-core probe)", attention::mmaProbe);
        add(c, "kvWrite", decode::kvWrite);
        add(c, "gatherRows", decode::gatherRows);
        add(c, "attentionDecode hd64 gqa2", () -> decode.decode(4, 300, new int[] {0, 1, 300, 257}, 4, 2, 64));
        add(c, "attentionDecode hd128 mha", () -> decode.decode(2, 40, new int[] {40, 17}, 8, 8, 128));
        add(c, "attentionDecode hd64 gqa12 (two blocks per kv head)", () -> decode.decode(3, 600, new int[] {600, 257, 1}, 24, 2, 64));
        add(c, "graph replay of decode-like steps (same bits as eager)", decode::graphReplay);
        add(c, "swiglu", elementwise::swiglu);
        add(c, "swigluBackward", () -> elementwise.swigluBackward(Write.ADD));
        add(c, "swigluBackward (set)", () -> elementwise.swigluBackward(Write.SET));
        // fused ops: as the CPU within tolerance, and bit for bit as the device's own unfused ops
        add(c, "addRmsNorm N=33 D=97", () -> normRope.addRmsNorm(33, 97, NormRopeChecks.SumAlias.NONE));
        add(c, "addRmsNorm N=5 D=1000", () -> normRope.addRmsNorm(5, 1000, NormRopeChecks.SumAlias.NONE));
        add(c, "addRmsNorm N=11 D=768 (8-element groups)", () -> normRope.addRmsNorm(11, 768, NormRopeChecks.SumAlias.NONE));
        add(c, "addRmsNorm D=512 (sum aliases a, 8-element groups)", () -> normRope.addRmsNorm(6, 512, NormRopeChecks.SumAlias.A));
        add(c, "addRmsNorm (sum aliases a)", () -> normRope.addRmsNorm(9, 97, NormRopeChecks.SumAlias.A));
        add(c, "addRmsNorm (sum aliases b)", () -> normRope.addRmsNorm(9, 97, NormRopeChecks.SumAlias.B));
        add(c, "rmsNormRope 20 tokens x 3 heads hd=48", () -> normRope.rmsNormRope(20, 3, 48));
        add(c, "rmsNormRope 7 tokens x 4 heads hd=128", () -> normRope.rmsNormRope(7, 4, 128));
        add(c, "rmsNormRope 1 token x 2 heads hd=96", () -> normRope.rmsNormRope(1, 2, 96));
        add(c, "rmsNormRope 3 tokens x 2 heads hd=256 (8-element groups)", () -> normRope.rmsNormRope(3, 2, 256));
        add(c, "kvWrite (keys and values)", decode::kvWritePair);
        add(c, "lmHead", () -> head.lmHead(HeadChecks.HEAD_DEFAULT, false));
        add(c, "lmHead small tiles", () -> head.lmHead(HeadChecks.HEAD_SMALL, false));
        add(c, "lmHead wide chunks", () -> head.lmHead(HeadChecks.HEAD_WIDE, false));
        add(c, "lmHead no-grad (same bits; backward recomputes)", head::lmHeadNoGrad);
        add(c, "lmHeadBackward", () -> head.lmHead(HeadChecks.HEAD_DEFAULT, true));
        add(c, "lmHeadBackward small tiles", () -> head.lmHead(HeadChecks.HEAD_SMALL, true));
        add(c, "logits", head::logits);
        add(c, "element-wise 8-wide and scalar paths (same bits)", elementwise::vectorPaths);
        add(c, "adamw", optimizer::adamw);
        add(c, "adamw (shadow copy)", optimizer::adamwShadow);
        add(c, "adamw (multi-tensor)", optimizer::adamwMulti);
        add(c, "zero (multi-tensor)", optimizer::zeroMulti);
        add(c, "sample unfiltered (greedy, plain, min-p)", () -> sampling.sampleRandom(false));
        add(c, "sample top-k / top-p", () -> sampling.sampleRandom(true));
        add(c, "sample edge rows", sampling::sampleEdges);
        add(c, "deterministic attentionBackward", determinism::deterministicAttention);
        add(c, "deterministic lmHeadBackward", determinism::deterministicHead);
        add(c, "deterministic embeddingBackward", determinism::deterministicEmbedding);
        add(c, "deterministic sample", sampling::deterministicSample);
        return c;
    }

    private void add(List<Check> list, String name, java.util.function.Supplier<Result> body) {
        list.add(new Check(name, () -> {
            random = new SplittableRandom(name.hashCode());
            return body.get();
        }));
    }
}
