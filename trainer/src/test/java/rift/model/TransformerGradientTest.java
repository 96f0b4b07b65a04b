package rift.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.cpu.CpuBackend;
import rift.kernels.cpu.CpuTensor;
import rift.util.Rng;

/**
 * Whole-model gradient check: the explicit backward of a 2-layer model against central finite
 * differences of the same fp32 forward, for every parameter tensor (a sample of entries each), with
 * both loss terms the trainers use (log-prob of targets and entropy) on a packed batch of three
 * sequences, so attention masking across sequence boundaries is exercised too.
 */
class TransformerGradientTest {
    private static final Backend BE = new CpuBackend();

    static ModelConfig tinyConfig(ModelConfig.Arch arch, boolean tied) {
        ModelConfig c = ModelConfig.of(arch, 23, 16, 2, 4, 2, 8, 24, 64, tied);
        if (arch == ModelConfig.Arch.LLAMA) // exercise llama3 rope scaling and o_proj bias too
            c = new ModelConfig(c.arch(), c.vocabSize(), c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(), c.headDim(),
                    c.intermediateSize(), 10000.0, c.rmsNormEps(), tied, c.maxPositionEmbeddings(),
                    new rift.kernels.cpu.Rope.Llama3Scaling(8.0, 1.0, 4.0, 16), true, true, 1, new int[] {2}, 0, 0.2);
        return new ModelConfig(c.arch(), c.vocabSize(), c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(), c.headDim(),
                c.intermediateSize(), c.ropeTheta(), c.rmsNormEps(), tied, c.maxPositionEmbeddings(), c.ropeScaling(), c.qkvBias(),
                c.oBias(), 1, new int[] {2}, 0, 0.2);
    }

    enum Case { QWEN3, QWEN3_TIED, QWEN2, LLAMA, QWEN3_TEMPERATURE, QWEN3_NEFTUNE }

    @ParameterizedTest
    @EnumSource(Case.class)
    void backwardMatchesFiniteDifferences(Case kase) {
        ModelConfig.Arch arch = switch (kase) {
            case QWEN3, QWEN3_TIED, QWEN3_TEMPERATURE, QWEN3_NEFTUNE -> ModelConfig.Arch.QWEN3;
            case QWEN2 -> ModelConfig.Arch.QWEN2;
            case LLAMA -> ModelConfig.Arch.LLAMA;
        };
        ModelConfig c = tinyConfig(arch, kase == Case.QWEN3_TIED);
        Weights w = Weights.random(c, BE, 7);
        // biases start at zero in a real init; give them values so their gradients are checked meaningfully
        Rng r = new Rng(11);
        for (var e : w.named().entrySet())
            if (e.getKey().endsWith(".bias") || e.getKey().endsWith("norm.weight")) {
                float[] d = CpuTensor.of(e.getValue());
                for (int i = 0; i < e.getValue().numel(); i++) d[i] += (float) (0.3 * r.nextGaussian());
            }
        Transformer m = new Transformer(c, w, BE);
        TokenBatch batch = TokenBatch.of(new int[] {1, 5, 9, 3, 22, 7}, new int[] {4, 4, 17}, new int[] {8, 2, 6, 11, 0});
        int[] targets = batch.nextTokenTargets();
        int n = batch.size();
        float[] a = new float[n], b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) (0.5 * r.nextGaussian());
        }
        Weights grads = Weights.zeros(c, BE);
        float temperature = kase == Case.QWEN3_TEMPERATURE ? 0.7f : 1f;
        // NEFTune: the gradient at the noised embeddings (the noise is a constant of the pass)
        float[] noise = kase == Case.QWEN3_NEFTUNE
                ? Neftune.noise(new int[] {6, 3, 5}, c.hiddenSize(), 10.0, j -> Rng.derive(5, j)) : null;
        Transformer.Pass pass = noise == null ? m.forward(batch, targets, true, false, temperature) : m.forward(batch, targets, true, false, noise);
        m.backward(pass, a, b, grads);

        int checked = 0;
        for (Map.Entry<String, Tensor> e : w.named().entrySet()) {
            float[] p = CpuTensor.of(e.getValue());
            float[] g = CpuTensor.of(grads.named().get(e.getKey()));
            int numel = (int) e.getValue().numel();
            double gMax = 0;
            for (int i = 0; i < numel; i++) gMax = Math.max(gMax, Math.abs(g[i]));
            for (int s = 0; s < Math.min(6, numel); s++) {
                int i = r.nextInt(numel);
                float old = p[i];
                float h = 3e-3f * Math.max(1f, Math.abs(old));
                p[i] = old + h;
                double up = loss(m, batch, targets, a, b, temperature, noise);
                p[i] = old - h;
                double down = loss(m, batch, targets, a, b, temperature, noise);
                p[i] = old;
                double fd = (up - down) / (2 * h);
                // fp32 central differences: truncation O(h^2) plus rounding of the loss; small entries of a
                // tensor are judged against that tensor's gradient scale
                double tol = 1e-2 * Math.abs(fd) + 2e-3 * gMax + 2e-4;
                assertEquals(fd, g[i], tol, kase + " " + e.getKey() + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 50);
    }

    private static double loss(Transformer m, TokenBatch batch, int[] targets, float[] a, float[] b, float temperature, float[] noise) {
        Transformer.Pass p = noise == null ? m.forward(batch, targets, true, false, temperature) : m.forward(batch, targets, true, false, noise);
        double s = 0;
        for (int i = 0; i < batch.size(); i++) s += a[i] * (double) p.logp()[i] + b[i] * (double) p.entropy()[i];
        return s;
    }
}
