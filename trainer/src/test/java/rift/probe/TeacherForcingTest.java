package rift.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import rift.model.ModelConfig;
import rift.model.Transformer;
import rift.rollout.RolloutEngine;
import rift.rollout.Sampler;
import rift.util.Rng;

/**
 * Teacher forcing against references: log-probs and ranks computed by hand from the full logits of each
 * sequence alone, batching that does not change the numbers, and rank 1 for the model's own greedy tokens.
 */
class TeacherForcingTest {
    static final ModelConfig C = ProbeFixtures.config();

    /** log-softmax and rank of each response token from the model's logits, one position at a time (plain reference). */
    static TeacherForcing.Scores reference(Transformer m, int[] prompt, int[] response) {
        double[] lp = new double[response.length];
        int[] rank = new int[response.length];
        for (int t = 0; t < response.length; t++) {
            int[] ctx = new int[prompt.length + t];
            System.arraycopy(prompt, 0, ctx, 0, prompt.length);
            System.arraycopy(response, 0, ctx, prompt.length, t);
            float[] logits = lastLogits(m, ctx);
            double max = Double.NEGATIVE_INFINITY;
            for (float z : logits) max = Math.max(max, z);
            double sum = 0;
            for (float z : logits) sum += Math.exp(z - max);
            float target = logits[response[t]];
            lp[t] = target - max - Math.log(sum);
            int above = 0;
            for (float z : logits) if (z > target) above++;
            rank[t] = 1 + above;
        }
        return new TeacherForcing.Scores(lp, rank);
    }

    static float[] lastLogits(Transformer m, int[] ctx) {
        var be = m.backend();
        int[] targets = new int[ctx.length];
        java.util.Arrays.fill(targets, -1);
        Transformer.Pass p = m.forward(rift.model.TokenBatch.of(ctx), targets, false, false);
        float[] h = m.backend().download(p.hidden(m.config.numLayers()));
        int d = m.config.hiddenSize();
        var last = be.zeros(1, d);
        be.upload(last, java.util.Arrays.copyOfRange(h, (ctx.length - 1) * d, ctx.length * d));
        var out = be.zeros(1, m.config.vocabSize());
        be.logits(out, last, m.weights.finalNorm, m.config.rmsNormEps(), m.weights.lmHead);
        return be.download(out);
    }

    @Test
    void scoresMatchTheFullLogitsAndDoNotDependOnPacking() {
        Transformer m = ProbeFixtures.model(C, 21);
        List<TeacherForcing.Pair> pairs = List.of(new TeacherForcing.Pair(new int[] {4, 5, 6}, new int[] {7, 8, 9, 10}),
                new TeacherForcing.Pair(new int[] {11}, new int[] {}), new TeacherForcing.Pair(new int[] {12, 13}, new int[] {14}),
                new TeacherForcing.Pair(new int[] {15, 16, 17, 18}, new int[] {19, 20}));
        List<TeacherForcing.Scores> packed = TeacherForcing.score(m, pairs, 4096);
        List<TeacherForcing.Scores> alone = TeacherForcing.score(m, pairs, 1);
        for (int i = 0; i < pairs.size(); i++) {
            TeacherForcing.Scores ref = reference(m, pairs.get(i).prompt(), pairs.get(i).response());
            for (TeacherForcing.Scores got : List.of(packed.get(i), alone.get(i))) {
                assertEquals(pairs.get(i).response().length, got.logProbs().length, "pair " + i);
                assertArrayEquals(ref.logProbs(), got.logProbs(), 1e-4, "pair " + i);
                assertArrayEquals(ref.ranks(), got.ranks(), "pair " + i);
            }
        }
    }

    @Test
    void greedyTokensHaveRankOne() {
        Transformer m = ProbeFixtures.model(C, 21);
        int[] prompt = {30, 31, 32};
        RolloutEngine.Completion c = new RolloutEngine(m, 1, 64).generate(List.of(new RolloutEngine.Request(prompt, new Rng(1))),
                Sampler.GREEDY, 12, null).getFirst();
        assertTrue(c.tokens().length > 0);
        TeacherForcing.Scores s = TeacherForcing.score(m, List.of(new TeacherForcing.Pair(prompt, c.tokens())), 4096).getFirst();
        for (int t = 0; t < s.ranks().length; t++) assertEquals(1, s.ranks()[t], "token " + t);
        for (int t = 0; t < s.logProbs().length; t++) assertEquals(c.logp()[t], s.logProbs()[t], 1e-4, "token " + t);
    }
}
