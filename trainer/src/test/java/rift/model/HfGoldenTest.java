package rift.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rift.io.TensorStore;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.cpu.CpuBackend;
import rift.TestPaths;

/**
 * Parity with Hugging Face transformers' own Qwen3 / Qwen2 / Llama code (fixtures made by
 * shared/tools/hf_golden.py, see src/test/resources/golden/SOURCE.md): rift loads the saved model
 * directory with its own reader and must reproduce logits, every hidden state and the log-probs at
 * every real (non-pad) position. Row 1 of the batch is left-padded; transformers gives its real tokens
 * positions 5..23 (position = column), which TokenBatch.fromPadded reproduces. Pad positions themselves
 * are not compared (transformers computes garbage there; rift drops them).
 */
class HfGoldenTest {
    static Path dir(String arch) {
        return TestPaths.repoRoot().resolve("trainer/src/test/resources/golden").resolve(arch);
    }

    record Golden(int[][] ids, int[][] mask, TensorStore store) {}

    static Golden golden(String arch) {
        TensorStore g = TensorStore.open(dir(arch).resolve("golden.safetensors"));
        long[] ids = g.readLong("input_ids"), mask = g.readLong("attention_mask");
        int b = (int) g.info("input_ids").shape()[0], t = (int) g.info("input_ids").shape()[1];
        int[][] id = new int[b][t], m = new int[b][t];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < t; j++) {
                id[i][j] = (int) ids[i * t + j];
                m[i][j] = (int) mask[i * t + j];
            }
        return new Golden(id, m, g);
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3", "qwen3_tied", "qwen2", "llama3"})
    void forwardMatchesTransformers(String arch) {
        Backend be = new CpuBackend();
        Transformer m = ModelIO.load(dir(arch), be);
        Golden g = golden(arch);
        int B = g.ids().length, T = g.ids()[0].length, V = m.config.vocabSize(), D = m.config.hiddenSize();
        TokenBatch batch = TokenBatch.fromPadded(g.ids(), g.mask(), false);
        // targets: next real token of the same row
        int[] targets = new int[batch.size()];
        int[] rowOf = new int[batch.size()], colOf = new int[batch.size()];
        int at = 0;
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                if (g.mask()[b][t] == 1) {
                    rowOf[at] = b;
                    colOf[at] = t;
                    targets[at] = t + 1 < T ? g.ids()[b][t + 1] : -1;
                    at++;
                }
        Transformer.Pass pass = m.forward(batch, targets, false, false);

        float[] logits = g.store().readFloat("logits");
        Tensor h = pass.hidden(m.config.numLayers());
        Tensor out = be.zeros(batch.size(), V);
        be.logits(out, h, m.weights.finalNorm, m.config.rmsNormEps(), m.weights.lmHead);
        float[] ours = be.download(out);
        double maxErr = 0;
        for (int i = 0; i < batch.size(); i++)
            for (int v = 0; v < V; v++)
                maxErr = Math.max(maxErr, Math.abs(ours[i * V + v] - logits[(rowOf[i] * T + colOf[i]) * V + v]));
        assertTrue(maxErr < 2e-4, arch + ": max |logit difference| " + maxErr);

        for (int l = 0; l <= m.config.numLayers(); l++) {
            float[] want = g.store().readFloat("hidden_states." + l);
            float[] got = l < m.config.numLayers() ? be.download(pass.hidden(l)) : m.finalNormed(pass);
            double err = 0;
            for (int i = 0; i < batch.size(); i++)
                for (int d = 0; d < D; d++) err = Math.max(err, Math.abs(got[i * D + d] - want[(rowOf[i] * T + colOf[i]) * D + d]));
            assertTrue(err < 1e-4, arch + ": hidden_states." + l + " max error " + err);
        }

        float[] lp = g.store().readFloat("logprobs");
        double lpErr = 0;
        for (int i = 0; i < batch.size(); i++)
            if (targets[i] >= 0) lpErr = Math.max(lpErr, Math.abs(pass.logp()[i] - lp[rowOf[i] * (T - 1) + colOf[i]]));
        assertTrue(lpErr < 2e-4, arch + ": log-prob max error " + lpErr);

        // gradients of the mean next-token loss over real positions (loss_real / grad_real.* in the fixture)
        MeanNll nll = MeanNll.of(pass.logp(), targets);
        assertEquals(g.store().readFloat("loss_real")[0], nll.loss(), 1e-5, arch + ": loss");
        Weights grads = Weights.zeros(m.config, be);
        m.backward(pass, nll.dLogp(), null, grads);
        for (var e : grads.named().entrySet()) {
            float[] want = g.store().readFloat("grad_real." + e.getKey());
            float[] got = be.download(e.getValue());
            double scale = 0, err = 0;
            for (float w : want) scale = Math.max(scale, Math.abs(w));
            for (int i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
            assertTrue(err <= 1e-3 * scale + 1e-7, arch + ": gradient of " + e.getKey() + " max error " + err + " (max |grad| " + scale + ")");
        }
        g.store().close();
    }
}
