package rift.kernels.cuda;


/**
 * The CUDA backend over the CPU emulator of its kernels ({@link EmuGpu}), for tests outside this
 * package (the trainer's device parity tests run whole training steps through it without a GPU).
 */
public final class EmulatedCuda {
    private EmulatedCuda() {}

    /** Why the emulator cannot run here (no g++, no kernel sources nearby), or null when it can. */
    public static String unavailable() {
        String why = EmuGpu.unavailable();
        return why == null ? null : "no CUDA emulator: " + why;
    }

    /** A CUDA backend whose kernels run in the emulator: fp32 storage, or bf16 storage when bf16. */
    public static CudaBackend backend(boolean bf16) {
        return new CudaBackend(new EmuGpu(), bf16 ? CudaBackend.Options.bf16() : CudaBackend.Options.fp32());
    }
}
