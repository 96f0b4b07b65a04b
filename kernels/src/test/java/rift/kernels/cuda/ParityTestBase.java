package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import rift.kernels.cpu.CpuBackend;

/**
 * {@link ParityChecks} as JUnit dynamic tests, one per check and storage mode, against whichever CUDA
 * backend a subclass makes (a real GPU, or the CPU emulator). Check names come from a CPU-backed harness,
 * so nothing CUDA is touched unless {@link #unavailable()} says the backend can run; otherwise each check is
 * skipped with the reason.
 */
abstract class ParityTestBase {
    /** One CUDA backend and harness per mode, made on first use, closed after the factory's tests. */
    private final Map<Boolean, ParityChecks> harness = new HashMap<>();
    private final Map<Boolean, CudaBackend> backends = new HashMap<>();

    /** Why this backend cannot run here, or null when it can. */
    abstract String unavailable();

    /** A CUDA backend in fp32 (false) or bf16 (true) storage. */
    abstract CudaBackend backend(boolean bf16);

    /** Which checks of a mode run (a regex on the check name); everything by default. */
    Pattern selected(boolean bf16) {
        return Pattern.compile("");
    }

    private Stream<DynamicTest> mode(boolean bf16) {
        Pattern only = selected(bf16);
        Function<Boolean, ParityChecks> make = m -> {
            CudaBackend b = backend(m);
            backends.put(m, b);
            return new ParityChecks(b, m);
        };
        return new ParityChecks(new CpuBackend(), bf16).checks().stream().filter(c -> only.matcher(c.name()).find())
                .map(c -> DynamicTest.dynamicTest((bf16 ? "bf16 " : "fp32 ") + c.name(), () -> {
                    String why = unavailable();
                    Assumptions.assumeTrue(why == null, () -> why);
                    ParityChecks pc = harness.computeIfAbsent(bf16, make);
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

    @AfterEach
    void close() {
        // dynamic tests of one factory run inside one "test"; @AfterEach fires after the whole factory
        backends.values().forEach(CudaBackend::close);
        backends.clear();
        harness.clear();
    }
}
