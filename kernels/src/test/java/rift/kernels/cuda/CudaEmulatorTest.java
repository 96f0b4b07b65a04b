package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import rift.kernels.cpu.CpuBackend;

/**
 * The whole CUDA backend (host code, every kernel, launch arguments, shared-memory carving, tiling)
 * against the CPU backend with the kernels running in the CPU emulator ({@link EmuGpu}): the same
 * {@link ParityChecks} as on a GPU, with the same tolerances. Skipped when g++ is missing. The
 * emulator's schedule turns a missing __syncthreads into wrong results and its guard pages turn an
 * out-of-bounds access into a crash, so this covers what a first GPU run would otherwise find.
 */
class CudaEmulatorTest {
    private static final Map<Boolean, ParityChecks> HARNESS = new HashMap<>();
    private static final Map<Boolean, CudaBackend> BACKENDS = new HashMap<>();

    private static Stream<DynamicTest> mode(boolean bf16) {
        // bf16 storage changes only the dtype flags of the same kernels: by default its emulated run covers
        // the checks where bf16 takes other paths (conversions, bf16 GEMMs, the LM head's bf16 blocks);
        // -Drift.emu.only=REGEX picks checks, -Drift.emu.only= (empty) runs all of both modes.
        String dflt = bf16 ? "copy|upload|^linear|gemm|lmHead|logits|attention(Backward)? hd64|attentionDecode hd64|adamw|embedding|rmsNorm|rope|swiglu" : "";
        java.util.regex.Pattern only = java.util.regex.Pattern.compile(System.getProperty("rift.emu.only", dflt));
        return new ParityChecks(new CpuBackend(), bf16).checks().stream().filter(c -> only.matcher(c.name()).find())
                .map(c -> DynamicTest.dynamicTest(
                (bf16 ? "bf16 " : "fp32 ") + c.name(), () -> {
                    String why = EmuGpu.unavailable();
                    Assumptions.assumeTrue(why == null, () -> "no CUDA emulator: " + why);
                    ParityChecks pc = HARNESS.computeIfAbsent(bf16, m -> {
                        CudaBackend b = new CudaBackend(new EmuGpu(), m ? CudaBackend.Options.bf16() : CudaBackend.Options.fp32());
                        BACKENDS.put(m, b);
                        return new ParityChecks(b, m);
                    });
                    ParityChecks.Check check = pc.checks().stream().filter(x -> x.name().equals(c.name())).findFirst().orElseThrow();
                    ParityChecks.Result r = check.run();
                    assertTrue(r.pass(), c.name() + ": error " + r.error() + " > tolerance " + r.tolerance() + " (" + r.detail() + ")");
                }));
    }

    @TestFactory
    Stream<DynamicTest> fp32() {
        return mode(false);
    }

    @TestFactory
    Stream<DynamicTest> bf16() {
        return mode(true);
    }

    @AfterAll
    static void close() {
        BACKENDS.values().forEach(CudaBackend::close);
        BACKENDS.clear();
        HARNESS.clear();
    }
}
