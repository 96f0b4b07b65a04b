package rift.verify;

/**
 * The work allowed to one verification: a step count and a wall-clock deadline, both checked
 * cooperatively by {@link #tick()} inside every parsing, evaluation and comparison loop. No thread is
 * interrupted or signalled, so a verifier can be shared by many threads; each call owns its Budget.
 *
 * <p>The step limit makes pathological inputs time out deterministically (same input, same verdict,
 * however loaded the machine); the deadline is the backstop for steps that turn out expensive.
 */
final class Budget {
    /** Thrown when the budget is spent; the verifier turns it into a "timeout" verdict. */
    static final class Exhausted extends RuntimeException {
        Exhausted(String why) {
            super(why, null, false, false);
        }
    }

    private final long startNanos;
    private final long timeLimitNanos;
    private final long maxSteps;
    private long steps;

    Budget(long timeLimitNanos, long maxSteps) {
        // elapsed time is a difference of nanoTime readings, which stays correct across overflow
        this.startNanos = System.nanoTime();
        this.timeLimitNanos = timeLimitNanos;
        this.maxSteps = maxSteps;
    }

    /** An effectively unlimited budget, for internal helpers used outside a verification call. */
    static Budget unlimited() {
        return new Budget(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** Counts one unit of work; throws {@link Exhausted} once the step limit or the deadline is passed. */
    void tick() {
        steps++;
        if (steps > maxSteps) throw new Exhausted("step limit " + maxSteps + " reached");
        // reading the clock costs ~20 ns; every 64 steps keeps the overhead negligible
        if ((steps & 63) == 0) checkClock();
    }

    /** Checks the deadline now (used before and after steps that are individually expensive). */
    void checkClock() {
        if (System.nanoTime() - startNanos > timeLimitNanos) throw new Exhausted("time limit reached");
    }

    long steps() {
        return steps;
    }
}
