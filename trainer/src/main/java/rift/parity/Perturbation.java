package rift.parity;

import rift.kernels.Backend;
import rift.kernels.RiftException;
import rift.kernels.Tensor;
import rift.train.RunContext;

/**
 * Scales one tensor of a side's initial weights, so a parity run can show that its comparisons catch
 * a real difference ({@code rift parity --perturb model.norm.weight:1.001}, and the tests).
 */
public record Perturbation(String tensor, float factor) {
    /** "NAME:FACTOR". */
    public static Perturbation parse(String spec) {
        int at = spec.lastIndexOf(':');
        try {
            if (at > 0) return new Perturbation(spec.substring(0, at), Float.parseFloat(spec.substring(at + 1)));
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new RiftException("--perturb must be TENSOR:FACTOR, e.g. model.norm.weight:1.001; got '" + spec + "'");
    }

    void apply(RunContext ctx) {
        Backend be = ctx.be;
        Tensor t = ctx.model.weights.named().get(tensor);
        if (t == null) throw new RiftException("--perturb: the model has no tensor '" + tensor + "'; it has " + ctx.model.weights.named().keySet());
        float[] v = be.download(t);
        for (int i = 0; i < v.length; i++) v[i] *= factor;
        be.upload(t, v);
        if (ctx.master != ctx.model.weights) be.copy(ctx.master.named().get(tensor), t);
    }
}
