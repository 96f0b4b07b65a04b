package rift.train;

import rift.recipe.ScheduleConfig;

/**
 * Learning rate per optimizer step (0-based): linear warmup lr * (step + 1) / warmup for the first
 * {@code warmup} steps (the first update is not wasted at lr 0, as in llm.c and nanoGPT), then constant,
 * linear or half-cosine decay to min_lr_ratio * lr at the last step.
 */
public record LrSchedule(double lr, int warmup, int totalSteps, ScheduleConfig.LrSchedule shape, double minRatio) {
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
