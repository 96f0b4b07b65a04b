package rift.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.model.Decoder;
import rift.model.Transformer;
import rift.util.Rng;

/**
 * The rollout engine picks tokens with the backend's batched op (Backend.sample) from logits that stay on
 * the backend; these tests pin it to the host loop it replaced: Decoder.prefill / step downloading the
 * logits and Sampler.sample picking per request from its own stream.
 */
class BackendSamplingTest {
    private static final List<Sampler> SAMPLERS = List.of(Sampler.GREEDY, new Sampler(1f, 0, 1f, 0f), new Sampler(0.8f, 5, 1f, 0f),
            new Sampler(1.2f, 0, 0.7f, 0.05f), new Sampler(0.9f, 9, 0.85f, 0.02f));

    /** One request at a time through a one-slot decoder, sampling on the host (the former engine's arithmetic). */
    private static RolloutEngine.Completion hostLoop(Transformer m, int[] prompt, Rng rng, Sampler s, int maxNew, int candidates) {
        Decoder d = new Decoder(m, 1, 64);
        int v = m.config.vocabSize();
        float[] logits = d.prefill(new int[] {0}, new int[][] {prompt});
        int budget = Math.min(maxNew, d.maxT - prompt.length);
        List<Integer> toks = new ArrayList<>();
        float[] lp = new float[budget];
        String finish = "length";
        while (toks.size() < budget) {
            Sampler.Pick p = s.sample(logits, 0, v, candidates, rng);
            lp[toks.size()] = p.logp();
            toks.add(p.token());
            if (m.config.isEos(p.token())) {
                finish = "eos";
                break;
            }
            if (toks.size() == budget) break;
            logits = d.step(new int[] {0}, new int[] {p.token()});
        }
        int[] t = toks.stream().mapToInt(Integer::intValue).toArray();
        return new RolloutEngine.Completion(prompt, t, Arrays.copyOf(lp, t.length), finish);
    }

    @Test
    void oneSlotEngineEqualsTheHostLoopBitForBit() {
        Transformer m = RolloutEngineTest.model();
        List<int[]> prompts = RolloutEngineTest.prompts(4);
        int checked = 0;
        for (Sampler s : SAMPLERS) {
            for (int candidates : new int[] {61, 37}) {
                var got = new RolloutEngine(m, 1, 64).limitToTokenizer(candidates)
                        .generate(RolloutEngine.requests(prompts, i -> Rng.derive(4, i)), s, 12, null);
                for (int i = 0; i < prompts.size(); i++) {
                    var want = hostLoop(m, prompts.get(i), Rng.derive(4, i), s, 12, candidates);
                    String at = s + " candidates " + candidates + " request " + i;
                    assertArrayEquals(want.tokens(), got.get(i).tokens(), at);
                    assertArrayEquals(want.logp(), got.get(i).logp(), at);
                    assertEquals(want.finish(), got.get(i).finish(), at);
                    for (int t : got.get(i).tokens()) assertTrue(t < candidates, at + " drew " + t);
                    checked += want.tokens().length;
                }
            }
        }
        assertTrue(checked > 200, "checked " + checked);
    }

    /** Continuous batching (prefill rows and step rows sampled in separate batches) changes no completion's tokens. */
    @Test
    void filteredCompletionsDoNotDependOnBatching() {
        Transformer m = RolloutEngineTest.model();
        List<int[]> prompts = RolloutEngineTest.prompts(7);
        for (Sampler s : SAMPLERS.subList(2, SAMPLERS.size())) {
            var a = new RolloutEngine(m, 1, 64).generate(RolloutEngine.requests(prompts, i -> Rng.derive(6, i)), s, 14, null);
            var b = new RolloutEngine(m, 3, 64).generate(RolloutEngine.requests(prompts, i -> Rng.derive(6, i)), s, 14, null);
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(a.get(i).tokens(), b.get(i).tokens(), s + " request " + i);
                for (int t = 0; t < a.get(i).logp().length; t++) assertEquals(a.get(i).logp()[t], b.get(i).logp()[t], 1e-5);
            }
        }
    }

    /** A request's stream advances once per sampled token (none when greedy), as Sampler.sample advances it. */
    @Test
    void eachPickDrawsOneUniformFromItsRequest() {
        Transformer m = RolloutEngineTest.model();
        List<int[]> prompts = RolloutEngineTest.prompts(3);
        for (Sampler s : List.of(Sampler.GREEDY, new Sampler(1f, 0, 0.9f, 0f))) {
            List<Rng> rngs = new ArrayList<>();
            var out = new RolloutEngine(m, 2, 64).generate(RolloutEngine.requests(prompts, i -> {
                Rng r = Rng.derive(8, i);
                rngs.add(r);
                return r;
            }), s, 10, null);
            for (int i = 0; i < prompts.size(); i++) {
                Rng fresh = Rng.derive(8, i);
                int draws = s.temperature() == 0f ? 0 : out.get(i).tokens().length;
                for (int k = 0; k < draws; k++) fresh.nextLong();
                assertArrayEquals(fresh.state(), rngs.get(i).state(), s + " request " + i);
            }
        }
    }
}
