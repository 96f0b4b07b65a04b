package rift.kernels.cuda;

import java.util.regex.Pattern;

/**
 * The whole CUDA backend (host code, every kernel, launch arguments, shared-memory carving, tiling)
 * against the CPU backend with the kernels running in the CPU emulator ({@link EmuGpu}): the same
 * {@link ParityChecks} as on a GPU, with the same tolerances. Skipped when g++ is missing. The
 * emulator's schedule turns a missing __syncthreads into wrong results and its guard pages turn an
 * out-of-bounds access into a crash, so this covers what a first GPU run would otherwise find.
 */
class CudaEmulatorTest extends ParityTestBase {
    @Override
    String unavailable() {
        String why = EmuGpu.unavailable();
        return why == null ? null : "no CUDA emulator: " + why;
    }

    @Override
    CudaBackend backend(boolean bf16) {
        return new CudaBackend(new EmuGpu(), bf16 ? CudaBackend.Options.bf16() : CudaBackend.Options.fp32());
    }

    /** Every check in both storage modes (about 20 s); -Drift.emu.only=REGEX picks checks by name. */
    @Override
    Pattern selected(boolean bf16) {
        return Pattern.compile(System.getProperty("rift.emu.only", ""));
    }
}
