package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The tensor-core attention kernels (attention_tc.cuh) in the CPU emulator: bf16 storage with head
 * dimension 64 or 128 must launch them (recorded here), and their forward and backward must match the
 * CPU backend within the bf16 parity tolerance, as closely as the fp32 CUDA-core kernels do on the same
 * inputs (-Drift.cuda.attention=simt). The emulator's mma follows the PTX ISA's fragment layout; on a GPU
 * the same checks run through ParityMain.
 */
class TensorCoreAttentionTest {
    /** Delegates to the emulator and records the names of launched kernels. */
    private static final class Recording implements Gpu {
        final Gpu inner = new EmuGpu();
        final List<String> launched = new ArrayList<>();

        @Override public Memory alloc(long bytes) { return inner.alloc(bytes); }
        @Override public void free(Object handle) { inner.free(handle); }
        @Override public void zero(Memory m, long bytes) { inner.zero(m, bytes); }
        @Override public void write(Memory m, long offset, Object hostArray, long bytes) { inner.write(m, offset, hostArray, bytes); }
        @Override public void read(Object hostArray, Memory m, long bytes) { inner.read(hostArray, m, bytes); }
        @Override public void copy(Memory dst, Memory src, long bytes) { inner.copy(dst, src, bytes); }
        @Override public void synchronize(String what) { inner.synchronize(what); }
        @Override public void makeCurrent() { inner.makeCurrent(); }
        @Override public Blas blas() { return inner.blas(); }
        @Override public String describe() { return inner.describe(); }
        @Override public void close() { inner.close(); }

        @Override
        public void launch(Kernel k, int gx, int gy, int sharedBytes, Object... args) {
            launched.add(k.name());
            inner.launch(k, gx, gy, sharedBytes, args);
        }
    }

    private static final String PATTERN = "^attention(Backward)? hd(64|128) ";

    private record Run(Set<String> kernels, List<ParityChecks.Result> results) {}

    private static Run run() {
        Recording gpu = new Recording();
        try (CudaBackend be = new CudaBackend(gpu, CudaBackend.Options.bf16())) {
            List<ParityChecks.Result> out = new ArrayList<>();
            for (ParityChecks.Check c : new ParityChecks(be, true).checks()) {
                if (c.name().matches(PATTERN + ".*") && !c.name().contains("CUDA-core")) out.add(c.run());
            }
            return new Run(new TreeSet<>(gpu.launched), out);
        }
    }

    /**
     * ParityChecks' "attention fa2" checks (the fa2 forward within tolerance of the CPU and bit for bit the
     * default tensor-core forward's): they must really launch the fa2 kernels, or the bitwise comparison
     * would compare a kernel with itself.
     */
    /** Runs the bf16 parity checks whose names match on a recording emulator; each must pass; returns the kernels launched. */
    private static List<String> passingChecks(java.util.function.Predicate<String> which, int expected) {
        String why = EmuGpu.unavailable();
        Assumptions.assumeTrue(why == null, () -> "no CUDA emulator: " + why);
        Recording gpu = new Recording();
        List<ParityChecks.Result> results = new ArrayList<>();
        try (CudaBackend be = new CudaBackend(gpu, CudaBackend.Options.bf16())) {
            for (ParityChecks.Check c : new ParityChecks(be, true).checks()) if (which.test(c.name())) results.add(c.run());
        }
        assertEquals(expected, results.size());
        for (ParityChecks.Result r : results) {
            System.out.printf("%-60s %.2e (tolerance %.0e): %s%n", r.name(), r.error(), r.tolerance(), r.detail());
            assertTrue(r.pass(), r.name() + ": " + r.detail());
        }
        assertEquals(null, System.getProperty("rift.cuda.attention"), "the checks restore the property");
        return gpu.launched;
    }

    @Test
    void fa2ForwardLaunchesOnlyWhenAskedAndMatchesTheDefaultForwardBitForBit() {
        List<String> launched = passingChecks(n -> n.startsWith("attention fa2 ") && !n.startsWith("attention fa2 bwd "), 2);
        for (String k : List.of("rift_attn_fwd_fa2_hd64", "rift_attn_fwd_fa2_hd128", "rift_attn_fwd_tc_hd64", "rift_attn_fwd_tc_hd128")) {
            assertTrue(launched.contains(k), k + " not launched: " + launched);
        }
    }

    /**
     * ParityChecks' "attention fa2 bwd" checks (the fa2 backward within tolerance of the CPU and bit for bit the
     * default tensor-core backward's): they must really launch the fa2 backward kernels (and the tc ones for the
     * reference), or the bitwise comparison would compare a kernel with itself.
     */
    @Test
    void fa2BackwardLaunchesOnlyWhenAskedAndMatchesTheDefaultBackwardBitForBit() {
        List<String> launched = passingChecks(n -> n.startsWith("attention fa2 bwd "), 3);
        for (String k : List.of("rift_attn_dq_fa2_hd64", "rift_attn_dq_fa2_hd128", "rift_attn_dkdv_fa2_hd64", "rift_attn_dkdv_fa2_hd128",
                "rift_attn_dq_tc_hd64", "rift_attn_dq_tc_hd128", "rift_attn_dkdv_tc_hd64", "rift_attn_dkdv_tc_hd128")) {
            assertTrue(launched.contains(k), k + " not launched: " + launched);
        }
        assertTrue(launched.stream().noneMatch(k -> k.startsWith("rift_attn_fwd_")), "a backward check ran a GPU forward: " + launched);
    }

    @Test
    void bf16AttentionRunsOnTensorCoresAndMatchesTheCpu() {
        String why = EmuGpu.unavailable();
        Assumptions.assumeTrue(why == null, () -> "no CUDA emulator: " + why);
        Run tc = run();
        String old = System.getProperty("rift.cuda.attention");
        Run simt;
        System.setProperty("rift.cuda.attention", "simt");
        try {
            simt = run();
        } finally {
            if (old == null) System.clearProperty("rift.cuda.attention");
            else System.setProperty("rift.cuda.attention", old);
        }
        for (String k : List.of("rift_attn_fwd_tc_hd64", "rift_attn_fwd_tc_hd128", "rift_attn_dq_tc_hd64", "rift_attn_dq_tc_hd128",
                "rift_attn_dkdv_tc_hd64", "rift_attn_dkdv_tc_hd128")) {
            assertTrue(tc.kernels().contains(k), k + " not launched: " + tc.kernels());
            assertTrue(!simt.kernels().contains(k), k + " launched with rift.cuda.attention=simt");
        }
        assertTrue(tc.kernels().stream().noneMatch(k -> k.contains("fa2")), "fa2 launched without being asked: " + tc.kernels());
        assertEquals(4, tc.results().size());
        for (int i = 0; i < tc.results().size(); i++) {
            ParityChecks.Result t = tc.results().get(i), s = simt.results().get(i);
            System.out.printf("%-40s tensor cores %.2e   fp32 kernels %.2e   (tolerance %.0e)%n", t.name(), t.error(), s.error(), t.tolerance());
            assertTrue(t.pass(), t.name() + ": " + t.detail());
            assertTrue(s.pass(), s.name() + " (simt): " + s.detail());
            // bf16 P and dS in the products cost at most a few times the fp32 kernels' error (storage rounding)
            assertTrue(t.error() <= Math.max(4 * s.error(), 5e-3), t.name() + ": " + t.error() + " vs " + s.error());
        }
    }
}
