package rift.parity;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rift.kernels.cuda.Cuda;

/**
 * The trainer-level parity on a real GPU (the default settings of `rift parity`: 20-step SFT curve, GRPO
 * step, rollout, log-probs on every parity model), fp32 and bf16 storage. Skipped, with the reason, where
 * no CUDA GPU is usable; EmulatedTrainerParityTest runs a smaller version of it over the kernel emulator.
 */
class CudaTrainerParityTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "bf16 storage: {0}")
    @ValueSource(booleans = {false, true})
    void theTrainerOnTheGpuMatchesTheCpu(boolean bf16) {
        Assumptions.assumeTrue(Cuda.available(), () -> "no CUDA GPU: " + Cuda.unavailableReason());
        for (String name : ParityModel.NAMES) {
            List<Check> rows = TrainerParity.run(ParityModel.of(name), new TrainerParity.Options("cuda", bf16, ParitySettings.defaults(), null),
                    tmp.resolve(name));
            System.out.println(name + ": " + ParityTable.summary(rows));
            assertFalse(rows.stream().anyMatch(Check::failed), () -> name + ": " + ParityTable.summary(rows));
        }
    }
}
