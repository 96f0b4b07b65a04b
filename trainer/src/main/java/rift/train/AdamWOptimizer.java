package rift.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import rift.kernels.Backend;
import rift.kernels.Tensor;
import rift.model.Weights;

/**
 * AdamW over a model's {@link Weights}: fp32 moments in two more {@code Weights}, decay only on 2-D
 * tensors, global grad-norm clipping folded into the update as a gradient scale (as llm.c does), and a
 * step counter. Its state (moments + step) is what a checkpoint stores to resume bit-exactly.
 */
public final class AdamWOptimizer {
    /** Hyper-parameters; gradClip <= 0 disables clipping. */
    public record Hyper(float beta1, float beta2, float eps, float weightDecay, float gradClip) {}

    private final Backend be;
    private final Hyper hyper;
    public final Weights m, v;
    private int step;

    public AdamWOptimizer(Weights params, Backend be, Hyper hyper) {
        this.be = be;
        this.hyper = hyper;
        this.m = Weights.zerosF32(params.config, be); // fp32 moments whatever the storage type
        this.v = Weights.zerosF32(params.config, be);
    }

    public int step() {
        return step;
    }

    public void setStep(int step) {
        this.step = step;
    }

    /** Global L2 norm of all gradients, summed tensor by tensor in a fixed order. */
    public double gradNorm(Weights grads) {
        double s = 0;
        for (double x : be.sumSquares(java.util.List.copyOf(grads.named().values()))) s += x;
        return Math.sqrt(s);
    }

    /**
     * One update with learning rate lr. Returns the gradient norm before clipping. Non-finite norms are
     * the caller's to handle (skip or abort) before calling this.
     */
    public double update(Weights params, Weights grads, float lr) {
        return update(params, grads, lr, gradNorm(grads));
    }

    /** As {@link #update(Weights, Weights, float)} with the gradient norm already computed. */
    public double update(Weights params, Weights grads, float lr, double norm) {
        return update(params, grads, lr, norm, null);
    }

    /**
     * As above; when {@code shadow} is given (the model's bf16 weights beside fp32 master params), each
     * updated tensor is also written there, in the same pass on a GPU (bits as a copy afterwards).
     */
    public double update(Weights params, Weights grads, float lr, double norm, Weights shadow) {
        float scale = 1f;
        if (hyper.gradClip() > 0 && norm > hyper.gradClip()) scale = (float) (hyper.gradClip() / (norm + 1e-6));
        step++;
        // one call for every tensor: a GPU backend updates them all in one launch, with the bits of one call each
        List<Backend.AdamWSlot> slots = new ArrayList<>(params.named().size());
        for (Map.Entry<String, Tensor> e : params.named().entrySet()) {
            String name = e.getKey();
            Tensor p = e.getValue();
            float wd = Weights.decays(p) ? hyper.weightDecay() : 0f;
            slots.add(new Backend.AdamWSlot(p, grads.named().get(name), m.named().get(name), v.named().get(name),
                    shadow == null ? null : shadow.named().get(name), wd));
        }
        be.adamw(slots, lr, hyper.beta1(), hyper.beta2(), hyper.eps(), step, scale);
        return norm;
    }
}
