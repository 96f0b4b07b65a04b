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

    /**
     * bf16 storage changes only the dtype flags of the same kernels: by default its emulated run covers the
     * checks where bf16 takes other paths (conversions, bf16 GEMMs, the LM head's bf16 blocks, bf16 logits
     * for sampling, whose coarse values tie often);
     * -Drift.emu.only=REGEX picks checks, -Drift.emu.only= (empty) runs all of both modes.
     */
    @Override
    Pattern selected(boolean bf16) {
        String dflt = bf16 ? "copy|upload|^linear|gemm|lmHead|logits|attention(Backward)? hd64|attentionDecode hd64|adamw|embedding|rmsNorm|rope|swiglu|sample" : "";
        return Pattern.compile(System.getProperty("rift.emu.only", dflt));
    }
}
