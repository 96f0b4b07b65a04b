package rift.parity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import rift.rollout.RolloutEngine;

/**
 * Trainer-level parity of a device against the CPU backend, from the same seed, on one model: a
 * teacher-forced log-prob pass, a rollout of prompts x samples, one SFT step (loss, grad norm,
 * gradients, weights after AdamW), an SFT loss curve and one GRPO step (completions, rewards, loss,
 * entropy, grad norm, gradients, weights after AdamW). Both sides run the trainer's own code; this
 * class only compares what they left behind, against {@link Tolerances}.
 */
public final class TrainerParity {
    private TrainerParity() {}

    /**
     * @param device  the device side's recipe device: cuda (or cpu, to check the harness against itself)
     * @param bf16    the device side stores bf16 (model.dtype bf16); bf16 tolerances, and the GRPO step trains
     *                on dataset completions because bf16 sampling may legitimately diverge from the CPU's; when
     *                the device stored bf16, the CPU oracle starts from its bf16-rounded initial weights (then
     *                computes in fp32), so the checks measure the kernels rather than that rounding
     * @param perturb applied to the device side's initial weights, or null
     */
    public record Options(String device, boolean bf16, ParitySettings settings, Perturbation perturb) {
        Tolerances tolerances() {
            return bf16 ? Tolerances.bf16() : Tolerances.fp32();
        }
    }

    /** Runs both sides in work (device first, then the CPU, which also scores the device's rollouts) and compares. */
    public static List<Check> run(ParityModel model, Options o, Path work) {
        ParitySettings s = o.settings();
        TestbedRecords records = TestbedRecords.read(s.records());
        Path data = records.write(work);
        SideResult dev = new SideRun(o.device(), o.bf16(), o.bf16(), o.perturb(), false).run(model, s, records, data, work.resolve("device"), null);
        SideResult cpu = new SideRun("cpu", false, o.bf16(), null, dev.storedBf16()).run(model, s, records, data, work.resolve("cpu"), dev.rollout());
        return compare(model.name(), dev, cpu, o.tolerances(), o.bf16(), s.steps());
    }

    static List<Check> compare(String m, SideResult dev, SideResult cpu, Tolerances t, boolean datasetGrpo, int steps) {
        List<Check> rows = new ArrayList<>();
        rows.add(Compare.values(m, "initial weights", flatten(dev.sft().before()), flatten(cpu.sft().before()), t.initialWeights()));
        rows.add(Compare.values(m, "teacher-forced log-probs", dev.tfLogp(), cpu.tfLogp(), t.logp()));
        rows.add(Compare.values(m, "teacher-forced entropy", dev.tfEntropy(), cpu.tfEntropy(), t.entropy()));

        List<int[]> devTok = new ArrayList<>(), cpuTok = new ArrayList<>();
        for (var c : dev.rollout()) devTok.add(c.tokens());
        for (var c : cpu.rollout()) cpuTok.add(c.tokens());
        rows.add(Compare.tokens(m, "rollout tokens", devTok, cpuTok, t.tokensMustMatch()));
        rows.add(sharedPrefixLogp(m, dev.rollout(), cpu.rollout(), t));
        float[] devLogp = flattenLogp(dev.rollout());
        rows.add(Compare.values(m, "rollout log-probs vs cpu scoring", devLogp, cpu.scored(), t.logp()));

        rows.add(Compare.scalar(m, "sft step loss", dev.sftLoss(), cpu.sftLoss(), t.loss()));
        rows.add(Compare.scalar(m, "sft step grad norm", dev.sft().gradNorm(), cpu.sft().gradNorm(), t.gradNorm()));
        rows.add(Compare.gradients(m, "sft step gradients", dev.sft().grads(), cpu.sft().grads(), t.gradsOfMax()));
        rows.add(Compare.adamwFirstStep(m, "sft step weights after AdamW", dev.sft(), cpu.sft(), SideRun.ADAM_EPS, SideRun.GRAD_CLIP, t.weights()));
        rows.add(Compare.values(m, "sft " + steps + "-step loss curve", dev.curve(), cpu.curve(), t.curve()));

        String how = datasetGrpo ? " (dataset completions)" : "";
        rows.add(texts(m, "grpo step completions" + how, dev.grpoTexts(), cpu.grpoTexts(), true));
        rows.add(Compare.values(m, "grpo step rewards, advantages", dev.grpoRewards(), cpu.grpoRewards(), t.rewards()));
        rows.add(datasetGrpo ? Compare.info(m, "grpo step learning signal", "weight: one trains on every dataset completion")
                : cpu.grpoRewardStd() > 0 ? new Check(m, "grpo step learning signal", Double.NaN, Double.NaN, "> 0", Check.Status.PASS,
                        "reward std " + cpu.grpoRewardStd())
                : Compare.failed(m, "grpo step learning signal", "every completion got the same reward: the step compares nothing; raise --prompts or --max-new-tokens"));
        rows.add(Compare.scalar(m, "grpo step loss", dev.grpoLoss(), cpu.grpoLoss(), t.grpoLoss()));
        rows.add(Compare.scalar(m, "grpo step entropy", dev.grpoEntropy(), cpu.grpoEntropy(), t.grpoEntropy()));
        rows.add(Compare.scalar(m, "grpo step grad norm", dev.grpo().gradNorm(), cpu.grpo().gradNorm(), t.gradNorm()));
        rows.add(Compare.gradients(m, "grpo step gradients", dev.grpo().grads(), cpu.grpo().grads(), t.gradsOfMax()));
        rows.add(Compare.adamwFirstStep(m, "grpo step weights after AdamW", dev.grpo(), cpu.grpo(), SideRun.ADAM_EPS, SideRun.GRAD_CLIP, t.weights()));
        return rows;
    }

    /** The sampler's log-probs where both sides drew the same tokens (all of them when the rollouts agree). */
    private static Check sharedPrefixLogp(String m, List<RolloutEngine.Completion> dev, List<RolloutEngine.Completion> cpu, Tolerances t) {
        if (dev.size() != cpu.size()) return Compare.failed(m, "rollout log-probs (shared prefix)", "different numbers of completions");
        List<Float> a = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < cpu.size(); i++) {
            int p = Compare.commonPrefix(dev.get(i).tokens(), cpu.get(i).tokens());
            for (int k = 0; k < p; k++) {
                a.add(dev.get(i).logp()[k]);
                b.add(cpu.get(i).logp()[k]);
            }
        }
        return Compare.values(m, "rollout log-probs (shared prefix)", toArray(a), toArray(b), t.logp());
    }

    /** GRPO completions as logged (finish, length, decoded text): identical, or the first that differs. */
    private static Check texts(String m, String name, List<String> dev, List<String> cpu, boolean mustMatch) {
        int same = 0, first = -1;
        for (int i = 0; i < Math.min(dev.size(), cpu.size()); i++)
            if (dev.get(i).equals(cpu.get(i))) same++;
            else if (first < 0) first = i;
        boolean ok = dev.size() == cpu.size() && same == cpu.size() && !cpu.isEmpty();
        String detail = same + " of " + cpu.size() + " completions identical" + (dev.size() != cpu.size() ? " (device has " + dev.size() + ")" : "")
                + (first < 0 ? "" : "; first difference: completion " + first);
        return new Check(m, name, cpu.size() - same, Double.NaN, "exact", mustMatch ? Check.of(ok) : Check.Status.INFO, detail);
    }

    static double[] flatten(Map<String, float[]> tensors) {
        int n = 0;
        for (float[] a : tensors.values()) n += a.length;
        double[] out = new double[n];
        int at = 0;
        for (float[] a : tensors.values()) for (float v : a) out[at++] = v;
        return out;
    }

    private static float[] flattenLogp(List<RolloutEngine.Completion> comps) {
        List<Float> out = new ArrayList<>();
        for (var c : comps) for (float v : c.logp()) out.add(v);
        return toArray(out);
    }

    private static float[] toArray(List<Float> xs) {
        float[] a = new float[xs.size()];
        for (int i = 0; i < a.length; i++) a[i] = xs.get(i);
        return a;
    }
}
