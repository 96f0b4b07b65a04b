package rift.train;

import rift.kernels.RiftException;
import rift.recipe.Recipe;
import rift.recipe.ScheduleConfig;

/**
 * Learning rate per optimizer step (0-based): linear warmup lr * (step + 1) / warmup for the first
 * {@code warmup} steps (the first update is not wasted at lr 0, as in llm.c and nanoGPT), then constant,
 * linear or half-cosine decay to min_lr_ratio * lr at the last step.
 */
public record LrSchedule(double lr, int warmup, int totalSteps, ScheduleConfig.LrSchedule shape, double minRatio) {
    /**
     * The recipe's schedule over a run of totalUpdates optimizer updates (known only once the data is read: epochs
     * may end a run before schedule.max_steps). A warmup longer than the run is refused here, as the recipe check
     * refuses one longer than max_steps: the learning rate would never reach optim.lr.
     */
    public static LrSchedule of(Recipe r, int totalUpdates) {
        ScheduleConfig s = r.schedule();
        int warmup = s.warmupUpdates(totalUpdates);
        if (warmup > totalUpdates) {
            throw new RiftException("recipe schedule.warmup_steps: " + warmup + " warmup updates are more than the " + totalUpdates
                    + " optimizer updates this run makes (schedule.epochs " + s.epochs() + " of the data ends it before schedule.max_steps),"
                    + " so the learning rate would never reach optim.lr: make warmup_steps at most " + totalUpdates
                    + ", or use schedule.warmup_ratio");
        }
        return new LrSchedule(r.optim().lr(), warmup, totalUpdates, s.lrSchedule(), s.minLrRatio());
    }

    public double at(int step) {
        if (step < warmup) return lr * (step + 1) / warmup;
        if (shape == ScheduleConfig.LrSchedule.CONSTANT || totalSteps - warmup <= 1) return lr;
        double progress = Math.min(1.0, (double) (step - warmup) / (totalSteps - warmup - 1));
        double decay = switch (shape) {
            case LINEAR -> 1 - progress;
            case COSINE -> 0.5 * (1 + Math.cos(Math.PI * progress));
            case CONSTANT -> 1;
        };
        return lr * (minRatio + (1 - minRatio) * decay);
    }
}
