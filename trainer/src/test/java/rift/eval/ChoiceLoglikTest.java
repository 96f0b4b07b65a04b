package rift.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.kernels.cpu.CpuBackend;
import rift.model.Decoder;
import rift.model.ModelConfig;
import rift.model.Transformer;
import rift.model.Weights;
import rift.util.Rng;

class ChoiceLoglikTest {
    static Transformer model() {
        var be = new CpuBackend();
        ModelConfig c = new ModelConfig(ModelConfig.Arch.QWEN3, 53, 32, 2, 4, 2, 8, 48, 1e6, 1e-6f, false, 64, null, false, false, 1,
                new int[] {2}, 0, 0.3);
        return new Transformer(c, Weights.random(c, be, 17), be);
    }

    static int[] tokens(Rng r, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = 3 + r.nextInt(50);
        return t;
    }

    /** log softmax of a logits row, in double. */
    static double logSoftmax(float[] logits, int off, int v, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) max = Math.max(max, logits[off + i]);
        double s = 0;
        for (int i = 0; i < v; i++) s += Math.exp(logits[off + i] - max);
        return logits[off + token] - max - Math.log(s);
    }

    /** The same sum by incremental decoding: prefill the context, then feed the continuation token by token. */
    static double byDecoder(Transformer m, ChoiceLoglik.Request r) {
        Decoder d = new Decoder(m, 1, 64);
        int v = m.config.vocabSize();
        float[] logits = d.prefill(new int[] {0}, new int[][] {r.context()});
        double s = 0;
        for (int t = 0; t < r.continuation().length; t++) {
            s += logSoftmax(logits, 0, v, r.continuation()[t]);
            if (t + 1 < r.continuation().length) logits = d.step(new int[] {0}, new int[] {r.continuation()[t]});
        }
        return s;
    }

    @Test
    void packedSumsMatchIncrementalDecodingWhateverTheBatching() {
        Transformer m = model();
        Rng r = new Rng(5);
        List<ChoiceLoglik.Request> reqs = new ArrayList<>();
        for (int i = 0; i < 7; i++) reqs.add(new ChoiceLoglik.Request(tokens(r, 1 + r.nextInt(9)), tokens(r, 1 + r.nextInt(4))));
        double[] one = ChoiceLoglik.sums(m, reqs, 1_000_000);   // a single forward
        double[] many = ChoiceLoglik.sums(m, reqs, 12);         // several small forwards
        for (int i = 0; i < reqs.size(); i++) {
            double want = byDecoder(m, reqs.get(i));
            assertEquals(want, one[i], 2e-5, "request " + i);
            assertEquals(one[i], many[i], 2e-5, "request " + i);
        }
    }
}
