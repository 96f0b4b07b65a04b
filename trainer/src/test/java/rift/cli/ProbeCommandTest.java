package rift.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rift.io.DType;
import rift.kernels.RiftException;
import rift.model.ModelConfig;
import rift.model.ModelIO;
import rift.model.Weights;
import rift.probe.ProbeFixtures;

/**
 * {@code rift probe} end to end on saved tiny models: probes.json is written with every section, the same
 * command gives the same bytes, a model against itself reads zero, and bad inputs fail with a RiftException.
 */
class ProbeCommandTest {
    @TempDir
    static Path tmp;

    static Path base, tuned, other, suite;

    @BeforeAll
    static void setUp() throws IOException {
        ModelConfig c = ProbeFixtures.config();
        base = tmp.resolve("base");
        Weights w = Weights.random(c, ProbeFixtures.BE, 3);
        ModelIO.save(base, c, w, ProbeFixtures.BE, DType.F32);
        ProbeFixtures.writeTokenizer(base);
        tuned = tmp.resolve("tuned");
        ProbeFixtures.perturb(w, w.lmHead, 0.3, 5);
        ProbeFixtures.perturb(w, w.layers[1].down(), 0.3, 6);
        ModelIO.save(tuned, c, w, ProbeFixtures.BE, DType.F32); // no tokenizer: BASE's is used
        other = tmp.resolve("other-vocab");
        ModelConfig wider = new ModelConfig(c.arch(), c.vocabSize() + 8, c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(),
                c.headDim(), c.intermediateSize(), c.ropeTheta(), c.rmsNormEps(), c.tieWordEmbeddings(), c.maxPositionEmbeddings(), null,
                c.qkvBias(), c.oBias(), c.bosTokenId(), c.eosTokenIds(), c.padTokenId(), c.initializerRange());
        ModelIO.save(other, wider, Weights.random(wider, ProbeFixtures.BE, 3), ProbeFixtures.BE, DType.F32);
        ProbeFixtures.writeTokenizer(other);
        suite = ProbeFixtures.suite(tmp.resolve("suite"), 6).file();
    }

    static CliRun.Result probe(String... args) {
        return CliRun.run(new ProbeCommand(), args);
    }

    @Test
    void writesTheSameProbesJsonTwice() throws IOException {
        Path out1 = tmp.resolve("out1"), out2 = tmp.resolve("out2");
        CliRun.Result r1 = probe("all", base.toString(), tuned.toString(), "--suite", suite.toString(), "--limit", "4", "--out", out1.toString());
        assertNull(r1.error(), () -> String.valueOf(r1.error()));
        assertEquals(0, r1.code());
        CliRun.Result r2 = probe("all", base.toString(), tuned.toString(), "--suite", suite.toString(), "--limit", "4", "--out", out2.toString());
        assertEquals(0, r2.code());
        byte[] a = Files.readAllBytes(out1.resolve("probes.json")), b = Files.readAllBytes(out2.resolve("probes.json"));
        assertArrayEquals(a, b, "probes.json differs between two runs");

        JsonNode j = new ObjectMapper().readTree(a);
        assertEquals("base", j.get("base").asText());
        assertEquals("tuned", j.get("tuned").asText());
        assertEquals("probe-test", j.get("suite").asText());
        assertEquals(4, j.get("options").get("limit").asInt());
        assertEquals(false, j.get("options").get("mask_padding").asBoolean());
        assertEquals(3, j.get("benchmarks").size());
        for (JsonNode bench : j.get("benchmarks")) {
            JsonNode t = bench.get("token"), p = bench.get("pca");
            assertEquals(4, t.get("responses").asInt(), bench.toString());
            assertTrue(t.get("kl").asDouble() > 0, bench.get("id").asText());
            assertTrue(t.get("avg_rank_shift").isNumber());
            assertEquals(t.get("responses_at_position").size(), t.get("rank_shift_by_position").size());
            assertTrue(p.get("d").asDouble() > 0, bench.get("id").asText());
            assertEquals(ProbeFixtures.config().numLayers() + 1, p.get("layers").size());
            assertEquals(4, p.get("texts").asInt());
        }
        for (String g : new String[] {"math", "other", "non"}) {
            assertTrue(j.get("groups").get(g).get("token").get("mean_kl").asDouble() > 0, g);
            assertTrue(j.get("groups").get(g).get("pca").get("mean_d").asDouble() > 0, g);
        }
        assertTrue(j.get("overall").get("token").get("mean_rank_shift").isNumber());
        assertTrue(r1.out().contains("overall (mean)"), r1.out());
        assertTrue(r1.out().contains("PCA d"), r1.out());
    }

    /**
     * --device cuda runs both models on the CUDA backend (here over the kernels' CPU emulator): the same
     * greedy responses and the same KL, rank shift and PCA d as on the CPU, to float rounding.
     */
    @Test
    void onTheCudaBackendTheProbesMatchTheCpu() throws Exception {
        String why = rift.kernels.cuda.EmulatedCuda.unavailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, () -> why);
        Path cpuOut = tmp.resolve("dev-cpu"), cudaOut = tmp.resolve("dev-cuda");
        CliRun.Result c = probe("all", base.toString(), tuned.toString(), "--suite", suite.toString(), "--limit", "3", "--out", cpuOut.toString());
        assertNull(c.error(), () -> String.valueOf(c.error()));
        CliRun.Result g;
        try (AutoCloseable route = rift.kernels.Backends.routeCuda(rift.kernels.cuda.EmulatedCuda::backend)) {
            g = probe("all", base.toString(), tuned.toString(), "--suite", suite.toString(), "--limit", "3", "--out", cudaOut.toString(),
                    "--device", "cuda");
        }
        assertNull(g.error(), () -> String.valueOf(g.error()));
        JsonNode jc = new ObjectMapper().readTree(cpuOut.resolve("probes.json").toFile());
        JsonNode jg = new ObjectMapper().readTree(cudaOut.resolve("probes.json").toFile());
        for (int b = 0; b < jc.get("benchmarks").size(); b++) {
            JsonNode tc = jc.get("benchmarks").get(b).get("token"), tg = jg.get("benchmarks").get(b).get("token");
            assertEquals(tc.get("kl").asDouble(), tg.get("kl").asDouble(), 1e-4 * Math.abs(tc.get("kl").asDouble()), "kl");
            assertEquals(tc.get("avg_rank_shift").asDouble(), tg.get("avg_rank_shift").asDouble(), 1e-9, "rank shift");
            double dc = jc.get("benchmarks").get(b).get("pca").get("d").asDouble(), dg = jg.get("benchmarks").get(b).get("pca").get("d").asDouble();
            assertEquals(dc, dg, 1e-4 * Math.abs(dc), "pca d");
        }
    }

    @Test
    void aModelAgainstItselfReadsZero() throws IOException {
        Path out = tmp.resolve("self");
        CliRun.Result r = probe("kl", base.toString(), base.toString(), "--suite", suite.toString(), "--limit", "3", "--out", out.toString(),
                "--paper-offbyone");
        assertNull(r.error(), () -> String.valueOf(r.error()));
        JsonNode j = new ObjectMapper().readTree(out.resolve("probes.json").toFile());
        assertEquals(0.0, j.get("overall").get("token").get("mean_kl").asDouble());
        assertEquals(0.0, j.get("overall").get("token").get("mean_rank_shift").asDouble());
        assertNull(j.get("overall").get("pca"), "kl alone runs no PCA");
        assertTrue(j.get("benchmarks").get(0).get("token").get("skipped_first_token").asBoolean());
        assertTrue(r.out().contains("KL") && !r.out().contains("PCA d"), r.out());

        Path pcaOut = tmp.resolve("self-pca");
        CliRun.Result p = probe("pca", base.toString(), base.toString(), "--suite", suite.toString(), "--limit", "3", "--out", pcaOut.toString(),
                "--mask-padding");
        assertNull(p.error(), () -> String.valueOf(p.error()));
        JsonNode pj = new ObjectMapper().readTree(pcaOut.resolve("probes.json").toFile());
        assertEquals(0.0, pj.get("overall").get("pca").get("mean_d").asDouble());
        assertTrue(pj.get("options").get("mask_padding").asBoolean());
    }

    @Test
    void badInputsGiveClearErrors() {
        CliRun.Result missing = probe("all", tmp.resolve("nowhere").toString(), tuned.toString(), "--suite", suite.toString());
        RiftException e = assertInstanceOf(RiftException.class, missing.error());
        assertTrue(e.getMessage().startsWith("BASE ") && e.getMessage().contains("not a directory"), e.getMessage());

        CliRun.Result vocab = probe("all", base.toString(), other.toString(), "--suite", suite.toString());
        e = assertInstanceOf(RiftException.class, vocab.error());
        assertTrue(e.getMessage().contains("vocab_size"), e.getMessage());

        CliRun.Result mode = probe("entropy", base.toString(), tuned.toString(), "--suite", suite.toString());
        e = assertInstanceOf(RiftException.class, mode.error());
        assertTrue(e.getMessage().contains("kl, rank, pca or all"), e.getMessage());

        CliRun.Result limit = probe("kl", base.toString(), tuned.toString(), "--suite", suite.toString(), "--limit", "0");
        assertInstanceOf(RiftException.class, limit.error());
    }
}
