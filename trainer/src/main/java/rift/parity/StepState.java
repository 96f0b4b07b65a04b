package rift.parity;

import java.util.Map;

/**
 * One side's view of a single optimizer step: the (master) weights before it, the gradients it used
 * (before clipping), the weights after it, the global gradient norm and the learning rate.
 */
public record StepState(Map<String, float[]> before, Map<String, float[]> grads, Map<String, float[]> after, double gradNorm, double lr) {}
