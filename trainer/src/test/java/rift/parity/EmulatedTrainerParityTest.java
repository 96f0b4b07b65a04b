package rift.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rift.kernels.Backends;
import rift.kernels.cuda.EmulatedCuda;

/**
 * `rift parity --device cuda` without a GPU: the recipes say device: cuda, and Backends routes that to the
 * CUDA backend over the kernels' CPU emulator. So the trainer's SFT step, GRPO step (rollouts sampled on
 * the device), rollout and log-prob pass run through the CUDA backend's host code and kernels in CI, and
 * must pass the same checks, with the same tolerances, that gpu-check.sh applies on a GPU.
 */
class EmulatedTrainerParityTest {
    @TempDir
    Path tmp;

    /**
     * Small enough for the emulator: 2 SFT steps of 2 sequences, 2 prompts x 4 samples. The shipped testbed
     * base (GQA, head dim 32) ends completions by EOS at varied lengths, so the GRPO step has a learning
     * signal; tensor-core attention (head dims 64, 128) is covered by EmulatedCudaTrainingTest.
     */
    private static final ParitySettings SMALL = new ParitySettings(8, 2, 2, 2, 4, 40, 1);

    @ParameterizedTest(name = "bf16 storage: {0}")
    @ValueSource(booleans = {false, true})
    void theTrainerOnTheEmulatedGpuMatchesTheCpu(boolean bf16) throws Exception {
        String why = EmulatedCuda.unavailable();
        Assumptions.assumeTrue(why == null, () -> why);
        List<Check> rows;
        try (AutoCloseable route = Backends.routeCuda(EmulatedCuda::backend)) {
            rows = TrainerParity.run(ParityModel.of("testbed"), new TrainerParity.Options("cuda", bf16, SMALL, null), tmp);
        }
        System.out.println(ParityTable.summary(rows));
        assertEquals(19, rows.size());
        assertFalse(rows.stream().anyMatch(Check::failed), () -> ParityTable.summary(rows));
    }
}
