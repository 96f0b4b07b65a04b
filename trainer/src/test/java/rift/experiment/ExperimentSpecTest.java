package rift.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;

/** The experiment file's keys: defaults, overrides, and errors that name the file, the key and the fix. */
class ExperimentSpecTest {
    private static final Path QUICKSTART = Path.of("../recipes/quickstart.yaml");

    @Test
    void quickstartLoadsWithItsDefaults() {
        ExperimentSpec s = ExperimentSpec.load(QUICKSTART, List.of());
        assertEquals("quickstart", s.name());
        assertEquals(List.of("sft", "grpo"), s.arms().stream().map(ExperimentSpec.Arm::name).toList());
        assertEquals(List.of(1L, 2L, 3L), s.seeds());
        assertEquals("testbed", s.evalSuite());
        assertEquals(100, s.evalLimit());
        assertEquals("cpu", s.device(), "evaluation and probes stay on the CPU unless the file says otherwise");
    }

    /** The paper's experiment on a real Qwen3 loads: both arms' recipes exist, evaluation and probes on the GPU. */
    @Test
    void thePaperExperimentFileLoads() {
        ExperimentSpec s = ExperimentSpec.load(Path.of("../recipes/paper-qwen3.yaml"), List.of("base.path=/models/Qwen3-0.6B-Base"));
        assertEquals(List.of("sft", "grpo"), s.arms().stream().map(ExperimentSpec.Arm::name).toList());
        assertTrue(s.arms().stream().allMatch(a -> java.nio.file.Files.isRegularFile(a.recipe())), s.arms().toString());
        assertEquals("paper", s.evalSuite());
        assertEquals("cuda-bf16", s.device());
        assertEquals(Path.of("/models/Qwen3-0.6B-Base"), s.basePath());
    }

    @Test
    void deviceAndOtherKeysCanBeOverridden() {
        ExperimentSpec s = ExperimentSpec.load(QUICKSTART, List.of("device=cuda-bf16", "seeds=[4]", "eval.limit=7"));
        assertEquals("cuda-bf16", s.device());
        assertEquals(List.of(4L), s.seeds());
        assertEquals(7, s.evalLimit());
    }

    @Test
    void badKeysAndValuesNameTheFix() {
        RiftException dev = assertThrows(RiftException.class, () -> ExperimentSpec.load(QUICKSTART, List.of("device=gpu0")));
        assertTrue(dev.getMessage().contains("quickstart.yaml") && dev.getMessage().contains("cpu, cuda, cuda-bf16, auto")
                && dev.getMessage().contains("'gpu0'"), dev.getMessage());
        RiftException typo = assertThrows(RiftException.class, () -> ExperimentSpec.load(QUICKSTART, List.of("devise=cuda")));
        assertTrue(typo.getMessage().contains("unknown key 'devise'") && typo.getMessage().contains("did you mean 'device'"), typo.getMessage());
    }

    /** eval.limit and friends are whole numbers >= 1; a bad one fails when the file loads, not after the arms trained. */
    @Test
    void limitsMustBePositiveWholeNumbers() {
        for (String o : List.of("eval.limit=-3", "eval.limit=abc", "eval.max_new_tokens=0", "probes.limit=2.5")) {
            String key = o.substring(0, o.indexOf('='));
            var e = assertThrows(RiftException.class, () -> ExperimentSpec.load(QUICKSTART, List.of(o)), o);
            assertTrue(e.getMessage().startsWith(QUICKSTART + ": " + key + " must be a whole number >= 1, got "), e.getMessage());
        }
        var e = assertThrows(RiftException.class, () -> ExperimentSpec.load(QUICKSTART, List.of("probes.enabled=maybe")));
        assertEquals(QUICKSTART + ": probes.enabled must be true or false, got \"maybe\"", e.getMessage());
    }

    /** A suite that does not exist stops the experiment before anything trains (it used to fail after every arm trained). */
    @Test
    void anUnknownSuiteFailsBeforeTraining(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        ExperimentSpec s = ExperimentSpec.load(QUICKSTART, List.of("eval.suite=nosuch", "run_dir=" + tmp.resolve("run")));
        var e = assertThrows(RiftException.class, () -> new ExperimentRunner(s).run());
        assertTrue(e.getMessage().startsWith(QUICKSTART + ": eval.suite: --suite nosuch: no such file"), e.getMessage());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("run")), "nothing was written");
    }

    /** A typo inside eval, probes or ti was once ignored silently (eval.limt=5 started a full-size run). */
    @Test
    void typosInsideEvalProbesAndTiAreErrors() {
        for (String[] bad : new String[][] {{"eval.limt=5", "eval.limt", "limit"}, {"probes.limt=5", "probes.limt", "limit"},
                {"probes.enable=false", "probes.enable", "enabled"}, {"ti.sgima=pooled", "ti.sgima", "sigma"}}) {
            RiftException e = assertThrows(RiftException.class, () -> ExperimentSpec.load(QUICKSTART, List.of(bad[0])), bad[0]);
            assertTrue(e.getMessage().contains("quickstart.yaml") && e.getMessage().contains("unknown key '" + bad[1] + "'")
                    && e.getMessage().contains("did you mean '" + bad[2] + "'"), e.getMessage());
        }
    }

    /** The two file kinds, swapped, get one message that names the right command, not a list of unknown keys. */
    @Test
    void aRecipeIsNotAnExperimentAndTheOtherWayRound() {
        Path recipe = Path.of("../recipes/sft-gsm8k-tiny.yaml");
        RiftException asExperiment = assertThrows(RiftException.class, () -> ExperimentSpec.load(recipe, List.of()));
        assertTrue(asExperiment.getMessage().contains("a training recipe (method: sft)")
                && asExperiment.getMessage().contains("rift train ../recipes/sft-gsm8k-tiny.yaml"), asExperiment.getMessage());
        RiftException asRecipe = assertThrows(RiftException.class, () -> ExperimentSpec.refuseAsRecipe(QUICKSTART, "rift train"));
        assertTrue(asRecipe.getMessage().contains("an experiment file") && asRecipe.getMessage().contains("rift experiment ../recipes/quickstart.yaml")
                && asRecipe.getMessage().contains("e.g. ../recipes/testbed/sft.yaml"), asRecipe.getMessage());
        ExperimentSpec.refuseAsRecipe(recipe, "rift train"); // a recipe passes
        ExperimentSpec.refuseAsRecipe(Path.of("no-such-file.yaml"), "rift train"); // left to the recipe loader
    }
}
