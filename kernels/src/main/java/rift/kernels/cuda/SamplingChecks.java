package rift.kernels.cuda;

import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.kernels.cuda.ParityChecks.Result;

/**
 * Parity of token sampling ({@link SamplingParity} holds the comparison): every filter mix on random logit
 * rows and on hand-made edge rows, and the same picks twice from the same uniforms.
 */
final class SamplingChecks extends ParityCheckGroup {
    SamplingChecks(ParityChecks suite) {
        super(suite);
    }

    /** Random logit rows: a spread of values plus a few spikes, so filters cut at varied places. */
    private float[] logitRows(int rows, int v) {
        float[] l = rnd(rows * v, 6);
        for (int r = 0; r < rows; r++) for (int s = 0; s < 5; s++) l[r * v + random().nextInt(v)] += (float) (4 + 6 * random().nextDouble());
        return l;
    }

    Result sampleRandom(boolean ordered) {
        String name = ordered ? "sample top-k / top-p" : "sample unfiltered (greedy, plain, min-p)";
        int rows = 5, v = 3001;
        Pair logits = in(logitRows(rows, v), rows, v);
        SamplingParity.Tally t = new SamplingParity.Tally();
        for (rift.kernels.SamplingParams p : SamplingParity.MIXES) {
            if ((p.topK() > 0 || p.topP() < 1f) != ordered) continue;
            for (int candidates : new int[] {v, v - 111}) {
                SamplingParity.compare(t, p + " c" + candidates, cpu, logits.c(), dev, logits.d(), candidates, p,
                        SamplingParity.uniforms(random(), rows));
            }
        }
        return t.result(name);
    }

    Result sampleEdges() {
        int rows = 8;
        SamplingParity.Tally t = new SamplingParity.Tally();
        for (int v : new int[] {37, 703}) {
            Pair logits = in(SamplingParity.edgeRows(rows, v, random()), rows, v);
            for (rift.kernels.SamplingParams p : SamplingParity.MIXES) {
                for (int candidates : SamplingParity.edgeCandidates(v)) {
                    SamplingParity.compare(t, p + " v" + v + " c" + candidates, cpu, logits.c(), dev, logits.d(), candidates, p,
                            SamplingParity.edgeUniforms(rows, random()));
                }
            }
        }
        return t.result("sample edge rows");
    }

    Result deterministicSample() {
        int rows = 4, v = 2000;
        Tensor logits = devIn(logitRows(rows, v)).view(rows, v);
        double[] u = SamplingParity.uniforms(random(), rows);
        rift.kernels.SamplingParams p = new rift.kernels.SamplingParams(0.9f, 30, 0.9f, 0.01f);
        Backend.Picks a = dev.sample(logits, v, p, u), b = dev.sample(logits, v, p, u);
        boolean same = java.util.Arrays.equals(a.tokens(), b.tokens()) && java.util.Arrays.equals(a.logp(), b.logp());
        return exact("deterministic sample", same, "two runs, tokens and log-probs bitwise");
    }
}
