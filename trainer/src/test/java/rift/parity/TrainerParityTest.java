package rift.parity;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parity harness with the CPU backend on both sides: it must pass (the two sides are the same code on
 * the same backend), and it must fail when one side's initial weights are perturbed; `--device cuda`
 * without a GPU is one clear error.
 */
class TrainerParityTest {
    @TempDir
    Path tmp;

    /** Small enough for a unit test; the testbed base ends completions by EOS at varied lengths, so GRPO has a signal. */
    private static final ParitySettings SMALL = new ParitySettings(8, 4, 3, 2, 4, 40, 1);

    private static Map<String, Check> byName(List<Check> rows) {
        return rows.stream().collect(Collectors.toMap(Check::name, c -> c));
    }

    @Test
    void cpuAgainstItselfPassesEveryCheck() {
        List<Check> rows = TrainerParity.run(ParityModel.of("testbed"), new TrainerParity.Options("cpu", false, SMALL, null), tmp);
        assertEquals(19, rows.size());
        for (Check c : rows) assertEquals(Check.Status.PASS, c.status(), c.name() + ": " + c.detail());
        Map<String, Check> r = byName(rows);
        assertEquals(0.0, r.get("sft 3-step loss curve").maxAbs(), "same code, same backend: same bits");
        assertEquals(0.0, r.get("grpo step weights after AdamW").maxAbs());
        assertTrue(r.get("rollout tokens").detail().startsWith("8 of 8 sequences identical"), r.get("rollout tokens").detail());
    }

    @Test
    void aPerturbedSideFails() {
        var perturb = new Perturbation("model.norm.weight", 1.001f);
        List<Check> rows = TrainerParity.run(ParityModel.of("testbed"), new TrainerParity.Options("cpu", false, SMALL, perturb), tmp);
        Map<String, Check> r = byName(rows);
        for (String name : List.of("initial weights", "teacher-forced log-probs", "sft step loss", "sft 3-step loss curve", "grpo step grad norm"))
            assertEquals(Check.Status.FAIL, r.get(name).status(), name + ": " + r.get(name).detail());
        assertTrue(r.get("initial weights").maxAbs() > 5e-4, "norm weights of 1 scaled by 1.001");
    }

    @Test
    void bf16ModeUsesLooseTolerancesAndDatasetCompletions() {
        List<Check> rows = TrainerParity.run(ParityModel.of("testbed"), new TrainerParity.Options("cpu", true, SMALL, null), tmp);
        Map<String, Check> r = byName(rows);
        assertEquals(Check.Status.INFO, r.get("rollout tokens").status(), "bf16 sampling may diverge: reported, not required");
        assertEquals(Check.Status.PASS, r.get("grpo step completions (dataset completions)").status());
        assertEquals(Tolerances.bf16().loss().toString(), r.get("sft step loss").tolerance());
        assertFalse(rows.stream().anyMatch(Check::failed), () -> ParityTable.summary(rows));
    }

    @Test
    void cudaWithoutAGpuIsOneClearError() {
        org.junit.jupiter.api.Assumptions.assumeFalse(rift.kernels.cuda.Cuda.available(), "this machine has a GPU");
        StringWriter err = new StringWriter();
        var cl = rift.cli.Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("parity", "--device", "cuda", "--model", "testbed");
        assertEquals(2, rc);
        String msg = err.toString();
        assertTrue(msg.startsWith("error: device 'cuda' needs a CUDA GPU"), msg);
        assertFalse(msg.contains("\tat "), "no stack trace");
    }

    @Test
    void badOptionsAreRiftErrors() {
        assertThrows(rift.kernels.RiftException.class, () -> ParityModel.of("gpt2"));
        assertThrows(rift.kernels.RiftException.class, () -> Perturbation.parse("model.norm.weight"));
        assertThrows(rift.kernels.RiftException.class, () -> new ParitySettings(4, 4, 1, 8, 2, 8, 1));
    }
}
