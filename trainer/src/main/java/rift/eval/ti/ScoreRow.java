package rift.eval.ti;

/**
 * One benchmark score of one model, as read from a score file.
 *
 * @param model     the model's name
 * @param base      the model's own starting checkpoint; empty on a base model's own rows
 * @param benchmark the benchmark's name (e.g. AIME24)
 * @param group     the benchmark's group
 * @param score     accuracy in percent, 0..100
 * @param line      the 1-based line in the source file, 0 when the row was built in code
 */
public record ScoreRow(String model, String base, String benchmark, BenchmarkGroup group, double score, int line) {
    public boolean hasBase() {
        return !base.isEmpty();
    }
}
