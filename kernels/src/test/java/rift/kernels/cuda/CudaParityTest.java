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
 * Every Backend op, CUDA against CPU ({@link ParityChecks}): fp32 storage (tight tolerances) and bf16
 * storage (loose, bounded). Each check is skipped, with the reason, where there is no CUDA driver
 * and GPU (CI).
 */
class CudaParityTest {
    /** One CUDA backend and harness per mode, made on first use. */
    private static final Map<Boolean, ParityChecks> HARNESS = new HashMap<>();
    private static final Map<Boolean, CudaBackend> BACKENDS = new HashMap<>();

    private static Stream<DynamicTest> mode(boolean bf16) {
        // the check names come from a CPU-backed harness; nothing CUDA is touched unless a GPU is there
        return new ParityChecks(new CpuBackend(), bf16).checks().stream().map(c -> DynamicTest.dynamicTest(
                (bf16 ? "bf16 " : "fp32 ") + c.name(), () -> {
                    Assumptions.assumeTrue(Cuda.available(), () -> "no CUDA driver/GPU: " + Cuda.unavailableReason());
                    ParityChecks pc = HARNESS.computeIfAbsent(bf16, m -> {
                        CudaBackend b = new CudaBackend((m ? CudaBackend.Options.bf16() : CudaBackend.Options.fp32()).withSyncEachOp(true));
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
