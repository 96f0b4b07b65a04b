package rift.kernels.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import rift.kernels.cpu.CpuBackend;

/**
 * The parity harness against itself: with the CPU backend as the "device" every check must run and
 * pass (same code, same inputs: errors are 0, or a few ulps where the CPU's Vector API exp differs
 * between JIT tiers). This catches harness mistakes (shapes, argument order, inputs) on machines
 * without a GPU, before the one GPU run. bf16 mode differs only in input rounding, tolerances and a
 * few checks, so it runs those.
 */
class ParityChecksSelfTest {
    @Test
    void everyCheckPassesCpuAgainstCpu() {
        run(new ParityChecks(new CpuBackend(), false), "");
    }

    @Test
    void bf16ModeChecksPassCpuAgainstCpu() {
        run(new ParityChecks(new CpuBackend(), true), "copy|lmHead|adamw|embedding|deterministic|linearBackward|rmsNorm D=96|addRmsNorm|rmsNormRope|keys and values");
    }

    private static void run(ParityChecks pc, String only) {
        List<ParityChecks.Check> checks = pc.checks();
        assertTrue(checks.size() >= 40, "only " + checks.size() + " checks");
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(only);
        int ran = 0;
        for (ParityChecks.Check c : checks) {
            if (!only.isEmpty() && !p.matcher(c.name()).find()) continue;
            ParityChecks.Result r = c.run();
            assertTrue(r.pass() && r.error() <= 1e-6, pc.mode() + " " + c.name() + ": " + r);
            ran++;
        }
        assertTrue(ran >= (only.isEmpty() ? 40 : 8), "ran " + ran);
    }
}
