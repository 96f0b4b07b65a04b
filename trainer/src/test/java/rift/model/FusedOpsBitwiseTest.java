package rift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.cuda.CudaBackend;
import rift.kernels.cuda.EmulatedCuda;
import rift.kernels.cuda.OpProfile;
import rift.util.Rng;

/**
 * The CUDA backend's fused ops (addRmsNorm, rmsNormRope, the keys-and-values kvWrite) inside the model, its
 * kernels running in the CPU emulator: the packed forward's log-probs and hidden states and the decoder's
 * prefill and step logits equal, bit for bit, those of the same backend running the unfused compositions
 * ({@link UnfusedBackend}), in fp32 and bf16 storage, with and without Qwen3's q/k norm. And a decode step
 * issues 14 ops per Qwen3 layer (19 unfused).
 */
class FusedOpsBitwiseTest {
    private static ModelConfig config(ModelConfig.Arch arch) {
        return ModelConfig.of(arch, 97, 128, 3, 4, 2, 64, 192, 64, false);
    }

    private static void assumeEmulator() {
        String why = EmulatedCuda.unavailable();
        Assumptions.assumeTrue(why == null, () -> why);
    }

    private static void assertSameBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": lengths");
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(what + " differs at " + i + ": unfused " + want[i] + ", fused " + got[i]);
            }
        }
    }

    private static int[] tokens(Rng rng, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = rng.nextInt(vocab);
        return t;
    }

    @ParameterizedTest(name = "{0}, bf16 storage: {1}")
    @CsvSource({"QWEN3, false", "QWEN3, true", "QWEN2, true"})
    void forwardAndDecoderEqualTheUnfusedOpsBitForBit(ModelConfig.Arch arch, boolean bf16) {
        assumeEmulator();
        ModelConfig c = config(arch);
        try (CudaBackend be = EmulatedCuda.backend(bf16)) {
            Backend unfused = UnfusedBackend.of(be);
            Weights w = Weights.random(c, be, 5);
            Transformer fused = new Transformer(c, w, be), plain = new Transformer(c, w, unfused);
            Rng rng = new Rng(9);

            List<int[]> seqs = List.of(tokens(rng, 23, c.vocabSize()), tokens(rng, 9, c.vocabSize()));
            TokenBatch batch = TokenBatch.of(seqs);
            int[] targets = batch.nextTokenTargets();
            Transformer.Pass pf = fused.forwardNoGrad(batch, targets, true, false), pu = plain.forwardNoGrad(batch, targets, true, false);
            assertSameBits(pu.logp(), pf.logp(), "forward log-probs");
            assertSameBits(pu.entropy(), pf.entropy(), "forward entropies");
            for (int l = 1; l <= c.numLayers(); l++) assertSameBits(be.download(pu.hidden(l)), be.download(pf.hidden(l)), "hidden state " + l);

            Decoder df = new Decoder(fused, 3, 40), du = new Decoder(plain, 3, 40);
            int[] slots = {1, 0, 2};
            int[][] prompts = {tokens(rng, 7, c.vocabSize()), tokens(rng, 12, c.vocabSize()), tokens(rng, 3, c.vocabSize())};
            assertSameBits(du.prefill(slots, prompts), df.prefill(slots, prompts), "prefill logits");
            for (int step = 0; step < 3; step++) { // every slot in slot order, then a subset out of order (the scatter path)
                int[] ids = step < 2 ? new int[] {0, 1, 2} : new int[] {2, 0};
                int[] next = tokens(rng, ids.length, c.vocabSize());
                assertSameBits(du.step(ids, next), df.step(ids, next), "step " + step + " logits");
            }
        }
    }

    /** Ops (and so launches, every op here being one kernel or GEMM) of one decode step of every slot, by name. */
    private static Map<String, Integer> stepOps(CudaBackend be, Decoder d, int[] tokens) {
        OpProfile p = new OpProfile(false);
        be.profile(p);
        d.stepLogits(new int[] {0, 1}, tokens);
        be.profile(null);
        Map<String, Integer> ops = new LinkedHashMap<>();
        for (OpProfile.Entry e : p.entries()) ops.put(e.op(), e.calls());
        return ops;
    }

    @Test
    void aQwen3DecodeStepIssues14OpsPerLayerInsteadOf19() {
        assumeEmulator();
        ModelConfig c = config(ModelConfig.Arch.QWEN3);
        int L = c.numLayers();
        try (CudaBackend be = EmulatedCuda.backend(true)) {
            Weights w = Weights.random(c, be, 5);
            List<Map<String, Integer>> runs = new ArrayList<>();
            for (Backend b : new Backend[] {be, UnfusedBackend.of(be)}) {
                Decoder d = new Decoder(new Transformer(c, w, b), 2, 16);
                d.prefill(new int[] {0, 1}, new int[][] {{3, 4, 5}, {6, 7}});
                runs.add(stepOps(be, d, new int[] {8, 9}));
            }
            Map<String, Integer> fused = runs.get(0), unfused = runs.get(1);
            int nf = fused.values().stream().mapToInt(Integer::intValue).sum(), nu = unfused.values().stream().mapToInt(Integer::intValue).sum();
            // embedding, layer 0's input norm and the logits around the layers; the last layer ends in a plain add
            assertEquals(3 + 14 * L, nf, "fused step " + fused);
            assertEquals(2 + 19 * L, nu, "unfused step " + unfused);
            assertEquals(Map.of("addRmsNorm", 2 * L - 1, "rmsNormRope", 2 * L, "kvWrite (keys and values)", L),
                    Map.of("addRmsNorm", fused.get("addRmsNorm"), "rmsNormRope", fused.get("rmsNormRope"), "kvWrite (keys and values)",
                            fused.get("kvWrite (keys and values)")), fused.toString());
            assertTrue(!unfused.containsKey("addRmsNorm") && !unfused.containsKey("rmsNormRope"), unfused.toString());
            System.out.printf("decode step of a %d-layer Qwen3: %d ops fused (%s), %d unfused (%s)%n", L, nf, fused, nu, unfused);
        }
    }
}
