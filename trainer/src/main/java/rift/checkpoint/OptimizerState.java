package rift.checkpoint;

import java.util.Map;
import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.Tensor;
import rift.model.Weights;
import rift.train.AdamWOptimizer;

/**
 * What AdamW needs to continue exactly: its first and second moments (one fp32 tensor per parameter
 * each) and its step count (bias correction depends on it).
 */
public record OptimizerState(Weights m, Weights v, int step) {
    public OptimizerState {
        if (m == null || v == null) throw new IllegalArgumentException("optimizer moments m and v are required");
        if (step < 0) throw new IllegalArgumentException("optimizer step must be >= 0, got " + step);
        if (!m.named().keySet().equals(v.named().keySet()))
            throw new IllegalArgumentException("optimizer moments m and v hold different parameters");
    }

    /** The live state of {@code opt} (not a copy: write the checkpoint before the next update). */
    public static OptimizerState of(AdamWOptimizer opt) {
        return new OptimizerState(opt.m, opt.v, opt.step());
    }

    /** Copies these moments and the step into {@code opt}, whose parameters must have the same names and shapes. */
    public void restoreInto(AdamWOptimizer opt, Backend be) {
        copyAll(m, opt.m, be, "m");
        copyAll(v, opt.v, be, "v");
        opt.setStep(step);
    }

    private static void copyAll(Weights from, Weights to, Backend be, String which) {
        if (!from.named().keySet().equals(to.named().keySet()))
            throw new RiftException("checkpoint optimizer moments (" + which + ") are for different parameters than this model;"
                    + " resume with the model config the checkpoint was written with");
        for (Map.Entry<String, Tensor> e : from.named().entrySet()) {
            Tensor dst = to.named().get(e.getKey());
            if (!java.util.Arrays.equals(dst.shape(), e.getValue().shape()))
                throw new RiftException("checkpoint optimizer moment " + which + "." + e.getKey() + " has shape "
                        + java.util.Arrays.toString(e.getValue().shape()) + ", the model needs " + java.util.Arrays.toString(dst.shape()));
            // the checkpoint was read on the host; upload reaches any backend's tensor
            be.upload(dst, java.util.Arrays.copyOf(rift.kernels.cpu.CpuTensor.of(e.getValue()), (int) e.getValue().numel()));
        }
    }
}
