package rift.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.eval.Suite;
import rift.kernels.RiftException;
import rift.model.ModelConfig;
import rift.model.Transformer;
import rift.probe.ProbeReport.BenchmarkProbes;
import rift.tokenizer.Tokenizer;

/**
 * The probes on tiny random models with known answers: a model against an identical copy drifts by
 * exactly zero on every probe; sharpening the logits (final norm scaled) keeps every greedy token and
 * rank but raises the KL monotonically; noise on the LM head shifts ranks; noise in the last layer moves
 * only the last hidden states, and d grows with the noise.
 */
class ProbeRunnerTest {
    @TempDir
    static Path tmp;

    static Suite suite;
    static Tokenizer tok;
    static ModelConfig c;
    static final long SEED = 11;

    @BeforeAll
    static void setUp() throws IOException {
        ProbeFixtures.writeTokenizer(tmp.resolve("tok"));
        tok = ProbeFixtures.tokenizer(tmp.resolve("tok"));
        suite = ProbeFixtures.suite(tmp.resolve("suite"), 8);
        c = ProbeFixtures.config();
    }

    @AfterAll
    static void tearDown() {
        tok.close();
    }

    static ProbeOptions options(boolean token, boolean pca) {
        return ProbeOptions.defaults().withProbes(token, pca).withLog(s -> {}).withSlots(4);
    }

    static ProbeReport run(Transformer base, Transformer tuned, ProbeOptions opt) {
        return new ProbeRunner(new ProbeRunner.Model("base", base, tok), new ProbeRunner.Model("tuned", tuned, tok), opt).run(suite);
    }

    @Test
    void identicalModelsDriftByExactlyZero() {
        ProbeReport r = run(ProbeFixtures.model(c, SEED), ProbeFixtures.model(c, SEED), options(true, true));
        assertEquals(3, r.benchmarks().size());
        for (BenchmarkProbes b : r.benchmarks()) {
            TokenShiftResult t = b.token().result();
            assertTrue(t.tokens() > 0, b.id() + ": the test needs scored tokens");
            assertEquals(0.0, t.kl(), b.id());
            assertEquals(0.0, t.avgRankShift(), b.id());
            assertEquals(0, t.shiftedTokens(), b.id());
            assertTrue(b.token().topShiftedTokens().isEmpty(), b.id());
            PcaShift.Result p = b.pca().result();
            assertEquals(0.0, p.d(), b.id());
            assertEquals(c.numLayers() + 1, p.layers().size(), b.id());
            for (PcaShift.LayerPoint l : p.layers()) {
                assertEquals(0.0, l.shift(), b.id() + " layer " + l.layer());
                assertEquals(l.pc2Base(), l.pc2Tuned(), b.id() + " layer " + l.layer());
            }
        }
        assertEquals(List.of("math", "other", "non"), r.groups().stream().map(ProbeReport.Summary::name).toList());
        for (ProbeReport.Summary s : r.groups()) {
            assertEquals(0.0, s.token().meanKl(), s.name());
            assertEquals(0.0, s.meanD(), s.name());
        }
        assertEquals(0.0, r.overall().token().meanKl());
        assertEquals(0.0, r.overall().token().meanRankShift());
        assertEquals(0.0, r.overall().meanD());
        assertEquals(List.of("arith", "pick", "say"), r.overall().benchmarks());
    }

    @Test
    void sharperLogitsKeepTheTokensAndRaiseTheKl() {
        Transformer base = ProbeFixtures.model(c, SEED);
        double previous = 0;
        for (float s : new float[] {1.25f, 1.5f, 2f}) {
            Transformer tuned = ProbeFixtures.model(c, SEED);
            // logits are linear in the final norm weight: this is the base at temperature 1/s, same argmax
            ProbeFixtures.scale(tuned.weights.finalNorm, s);
            ProbeReport r = run(base, tuned, options(true, false).withOnly(Set.of("arith", "say")));
            double kl = r.overall().token().meanKl();
            assertTrue(kl > previous, "KL at scale " + s + " is " + kl + ", not above " + previous);
            previous = kl;
            for (BenchmarkProbes b : r.benchmarks()) {
                TokenShiftResult t = b.token().result();
                assertTrue(t.klSigned() > 0, b.id());
                // a scaled logit vector keeps its order, so ranks move only through float rounding near ties
                assertTrue(t.shiftedFraction() <= 0.01, b.id() + ": " + t.shiftedFraction());
                assertNull(b.pca());
            }
        }
    }

    @Test
    void noiseOnTheLmHeadShiftsRanks() {
        Transformer base = ProbeFixtures.model(c, SEED);
        double previousRank = 0, previousKl = 0;
        for (double noise : new double[] {0.2, 1.0}) {
            Transformer tuned = ProbeFixtures.model(c, SEED);
            ProbeFixtures.perturb(tuned.weights, tuned.weights.lmHead, noise, 99);
            ProbeReport r = run(base, tuned, options(true, false));
            var all = r.overall().token();
            assertTrue(all.meanRankShift() > previousRank, "rank shift at noise " + noise + ": " + all.meanRankShift());
            assertTrue(all.meanKl() > previousKl, "KL at noise " + noise + ": " + all.meanKl());
            assertTrue(all.buckets().shifted() + all.buckets().marginal() > 0);
            assertTrue(!r.overall().topShiftedTokens().isEmpty());
            previousRank = all.meanRankShift();
            previousKl = all.meanKl();
        }
    }

    @Test
    void noiseInTheLastLayerMovesOnlyItsHiddenStatesAndDGrows() {
        Transformer base = ProbeFixtures.model(c, SEED);
        double previous = 0;
        for (double noise : new double[] {0.01, 0.1, 0.5}) {
            Transformer tuned = ProbeFixtures.model(c, SEED);
            int last = c.numLayers() - 1;
            ProbeFixtures.perturb(tuned.weights, tuned.weights.layers[last].up(), noise, 7);
            ProbeReport r = run(base, tuned, options(false, true));
            for (BenchmarkProbes b : r.benchmarks()) {
                assertNull(b.token());
                PcaShift.Result p = b.pca().result();
                assertTrue(p.d() > 0, b.id());
                // hidden_states[0..last] are computed before the perturbed layer: bit-identical
                for (int l = 0; l <= last; l++) {
                    assertEquals(0.0, p.layers().get(l).shift(), b.id() + " layer " + l);
                    assertEquals(p.layers().get(l).pc2Base(), p.layers().get(l).pc2Tuned(), b.id() + " layer " + l);
                }
            }
            double d = r.overall().meanD();
            assertTrue(d > previous, "mean d at noise " + noise + " is " + d + ", not above " + previous);
            previous = d;
        }
    }

    @Test
    void paperOffByOneDropsOneTokenPerResponse() {
        Transformer base = ProbeFixtures.model(c, SEED), tuned = ProbeFixtures.model(c, SEED + 1);
        ProbeOptions opt = options(true, false).withOnly(Set.of("say"));
        TokenShiftResult all = run(base, tuned, opt).benchmarks().getFirst().token().result();
        TokenShiftResult skipped = run(base, tuned, opt.withPaperOffByOne(true)).benchmarks().getFirst().token().result();
        assertTrue(skipped.skippedFirstToken());
        int nonEmpty = all.sequencesUsed();
        assertEquals(all.tokens() - nonEmpty, skipped.tokens());
    }

    @Test
    void limitTakesTheFirstItems() {
        Transformer m = ProbeFixtures.model(c, SEED);
        ProbeReport r = run(m, ProbeFixtures.model(c, SEED), options(true, true).withLimit(3));
        for (BenchmarkProbes b : r.benchmarks()) {
            assertEquals(3, b.token().result().sequences(), b.id());
            assertEquals(3, b.pca().texts(), b.id());
        }
    }

    @Test
    void mismatchedModelsAreRejected() {
        ModelConfig wider = new ModelConfig(c.arch(), c.vocabSize() + 1, c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(),
                c.headDim(), c.intermediateSize(), c.ropeTheta(), c.rmsNormEps(), c.tieWordEmbeddings(), c.maxPositionEmbeddings(), null,
                c.qkvBias(), c.oBias(), c.bosTokenId(), c.eosTokenIds(), c.padTokenId(), c.initializerRange());
        RiftException e = assertThrows(RiftException.class,
                () -> run(ProbeFixtures.model(c, SEED), ProbeFixtures.model(wider, SEED), options(true, true)));
        assertTrue(e.getMessage().contains("vocab_size"), e.getMessage());

        ModelConfig deeper = new ModelConfig(c.arch(), c.vocabSize(), c.hiddenSize(), c.numLayers() + 1, c.numHeads(), c.numKvHeads(),
                c.headDim(), c.intermediateSize(), c.ropeTheta(), c.rmsNormEps(), c.tieWordEmbeddings(), c.maxPositionEmbeddings(), null,
                c.qkvBias(), c.oBias(), c.bosTokenId(), c.eosTokenIds(), c.padTokenId(), c.initializerRange());
        e = assertThrows(RiftException.class,
                () -> run(ProbeFixtures.model(c, SEED), ProbeFixtures.model(deeper, SEED), options(false, true)));
        assertTrue(e.getMessage().contains("layers"), e.getMessage());

        e = assertThrows(RiftException.class,
                () -> run(ProbeFixtures.model(c, SEED), ProbeFixtures.model(c, SEED), options(true, false).withOnly(Set.of("nope"))));
        assertTrue(e.getMessage().contains("--only nope"), e.getMessage());
    }

    @Test
    void pcaTextJoinsPromptSolutionReferenceAndGoldWithTwoSpaces() {
        var arith = suite.benchmarks().get(0);
        var item = rift.eval.EvalData.load(arith).getFirst();
        assertEquals("Problem: Ann has 3 apples and buys 4 more. How many apples does she have?\nAnswer:  She has 3 + 4 = 7 apples.  7",
                ProbeRunner.pcaText(arith, item));
        var pick = suite.benchmarks().get(1);
        var q = rift.eval.EvalData.load(pick).get(1);
        assertEquals("What comes after Monday?\nA. Tuesday\nB. Sunday\nAnswer:  Tuesday", ProbeRunner.pcaText(pick, q));
    }
}
