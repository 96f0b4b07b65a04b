package rift.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import rift.kernels.RiftException;

/**
 * The logged metrics of one training run (one arm, one seed).
 *
 * @param arm   the arm's name ({@link ArmResult#name()})
 * @param seed  the training seed
 * @param steps one entry per logged step, in any order (the report sorts by step)
 */
public record TrainingCurve(String arm, int seed, List<Step> steps) {
    public TrainingCurve {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** The metrics logged at one optimizer step (loss, reward, accuracy, grad_norm, lr, entropy, ...). */
    public record Step(long step, Map<String, Double> metrics) {
        public Step {
            metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
        }
    }

    /**
     * Builds a curve from metric maps as a training log holds them: each map has a {@code step} entry and any
     * number of other numeric entries.
     */
    public static TrainingCurve fromMaps(String arm, int seed, List<? extends Map<String, ? extends Number>> rows) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, ? extends Number> row = rows.get(i);
            Number step = row.get("step");
            if (step == null) {
                throw new RiftException("training curve of arm " + arm + " seed " + seed + ": row " + i
                        + " has no 'step' entry; every logged row needs the optimizer step it was logged at");
            }
            Map<String, Double> metrics = new TreeMap<>();
            row.forEach((k, v) -> {
                if (!k.equals("step") && v != null) metrics.put(k, v.doubleValue());
            });
            steps.add(new Step(step.longValue(), metrics));
        }
        return new TrainingCurve(arm, seed, steps);
    }
}
