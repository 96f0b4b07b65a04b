package rift.bench;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CPU-testable parts of the GPU benchmarks: the LM head's traffic count, the datasheet table, peer plumbing. */
class GpuBenchPartsTest {
    @Test
    void headTrafficFollowsTheTiling() {
        // the qwen3-0.6b log-prob workload: 4 x 1023 rows, bf16, the CUDA backend's default 2048 x 16384 blocks
        HeadTraffic t = HeadTraffic.of(4092, 1024, 151936, 2, 2, 2048, 16384);
        assertEquals(2, t.tiles());
        assertEquals(10, t.chunks());
        assertEquals(2L * 151936 * 1024 * 2, t.weightReads(), "W once per row tile");
        assertEquals(10L * 4092 * 1024 * 2, t.xnReads(), "xn once per vocabulary chunk");
        assertEquals(8L * 4092 * 151936, t.logitsRoundTrip(), "fp32 logits written and read back");
        assertEquals(4092L * 1024 * 2, t.hIn());
        assertEquals(t.hIn() + t.xnOut() + t.targetDot() + t.weightReads() + t.xnReads() + t.logitsRoundTrip() + t.rows(), t.total());
        assertEquals(4092L * 1024 * 2 + 151936L * 1024 * 2 + 8L * 4092, t.fused());
        assertEquals(2.0 * 4092 * 1024 * 151936, t.flops());
        // one row tile: W read once
        assertEquals(151936L * 1024 * 2, HeadTraffic.of(2048, 1024, 151936, 2, 2, 2048, 16384).weightReads());
        // fp32 h with bf16 W (mixed): h counted at 4 bytes
        assertEquals(4092L * 1024 * 4, HeadTraffic.of(4092, 1024, 151936, 4, 2, 2048, 16384).hIn());
    }

    /** The measurement code the GPU runs, on the CPU backend (whose copy and head are host code): it times, counts and prints. */
    @Test
    void headBandwidthMeasuresOnAnyBackend() {
        var be = new rift.kernels.cpu.CpuBackend();
        int n = 48, d = 32, v = 100;
        var w = be.zeros(v, d);
        var normW = be.zeros(d);
        float[] wv = new float[v * d];
        for (int i = 0; i < wv.length; i++) wv[i] = (float) Math.sin(i) * 0.1f;
        be.upload(w, wv);
        float[] ones = new float[d];
        java.util.Arrays.fill(ones, 1f);
        be.upload(normW, ones);
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) targets[i] = i < 8 ? -1 : (i * 7) % v;
        HeadBandwidth.Result r = HeadBandwidth.measure(be, normW, w, 1e-6f, targets, 1, 3, 1 << 16);
        assertEquals(HeadTraffic.of(n, d, v, 4, 4, 2048, 16384), r.traffic(), "fp32 storage, the CUDA backend's default tiles");
        assertTrue(r.headSeconds() > 0 && r.copyBytesPerS() > 0 && r.bytesPerS() > 0);
        assertNull(r.specs());
        var out = new java.io.ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            HeadBandwidth.print(r);
        } finally {
            System.setOut(old);
        }
        String text = out.toString();
        assertTrue(text.contains("N=48 D=32 V=100, fp32 weights") && text.contains("% of this GPU's measured copy bandwidth")
                && text.contains("no datasheet figure known"), text);
    }

    @Test
    void datasheetPeaksByDriverName() {
        assertEquals(4.8, GpuSpecs.of("NVIDIA H200").hbmTbPerS());
        assertEquals(3.35, GpuSpecs.of("NVIDIA H100 80GB HBM3").hbmTbPerS());
        assertEquals(989.4, GpuSpecs.of("NVIDIA H100 80GB HBM3").bf16DenseTflops());
        assertEquals("H100 PCIe", GpuSpecs.of("NVIDIA H100 PCIe").model());
        assertEquals(2.0, GpuSpecs.of("NVIDIA A100-SXM4-80GB").hbmTbPerS());
        assertNull(GpuSpecs.of("NVIDIA GeForce RTX 4090"));
        assertNull(GpuSpecs.of(null));
    }

    @Test
    void peerResultLinesAreParsedAndFailuresReported() {
        List<JsonNode> out = Peer.runCommand(List.of("/bin/sh", "-c", "echo noise; echo 'RESULT {\"kind\": \"gen\", \"tok_per_s\": 12.5}'"), "hint");
        assertEquals(1, out.size());
        assertEquals(12.5, out.get(0).path("tok_per_s").asDouble());
        assertTrue(Peer.runCommand(List.of("/bin/sh", "-c", "echo oops >&2; exit 3"), "hint").isEmpty());
        assertTrue(Peer.runCommand(List.of("/nonexistent/python3", "x.py"), "hint").isEmpty());
    }

    @Test
    void theGpuPeerScriptsAreFoundInTheCheckout() {
        assertNotNull(Peer.locateAbove("scripts/bench/" + GpuPeer.TRAIN));
        assertNotNull(Peer.locateAbove("scripts/bench/" + GpuPeer.GENERATE));
    }

    @Test
    void aGpuPeerThatCannotRunGivesNoResult() {
        // a python without torch (or a missing interpreter): the peer exits 3 / cannot start; rift goes on without a ratio
        assertNull(GpuPeer.run("/nonexistent/python3", GpuPeer.GENERATE, "gen", "--config", "tiny"));
    }
}
