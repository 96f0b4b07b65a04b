package rift.eval;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Settings of one evaluation run (the command line's options).
 *
 * @param seed              root of every derived seed: item subsets, per-sample sampling streams, bootstrap
 * @param limit             items per benchmark (seeded subset), overriding the suite's limit; null keeps it
 * @param maxNewTokens      overrides every benchmark's max_new_tokens; null keeps them
 * @param chat              overrides every benchmark's chat setting; null keeps them
 * @param only              benchmark ids to run (null: all)
 * @param slots             sequences decoded together by the rollout engine
 * @param loglikBatchTokens tokens per teacher-forced forward of log-likelihood scoring
 * @param kvCacheBytes      KV cache budget; fewer slots are used when the cache would be larger
 * @param addBos            put the tokenizer's BOS token in front of every prompt (Llama-style models)
 * @param resamples         bootstrap resamples for the 95% interval
 * @param log               where progress lines go (stderr on the command line)
 * @param clock             nanosecond clock for progress and ETA
 * @param logIntervalNanos  least time between two progress lines of a benchmark
 */
public record EvalOptions(long seed, Integer limit, Integer maxNewTokens, Boolean chat, java.util.Set<String> only, int slots,
                          int loglikBatchTokens, long kvCacheBytes, boolean addBos, int resamples, Consumer<String> log,
                          LongSupplier clock, long logIntervalNanos) {

    public static EvalOptions defaults() {
        return new EvalOptions(0, null, null, null, null, 8, 2048, 4L << 30, false, BootstrapCI.DEFAULT_RESAMPLES,
                System.err::println, System::nanoTime, 5_000_000_000L);
    }

    public EvalOptions withSeed(long s) {
        return new EvalOptions(s, limit, maxNewTokens, chat, only, slots, loglikBatchTokens, kvCacheBytes, addBos, resamples, log, clock, logIntervalNanos);
    }

    public EvalOptions withLimit(Integer l) {
        return new EvalOptions(seed, l, maxNewTokens, chat, only, slots, loglikBatchTokens, kvCacheBytes, addBos, resamples, log, clock, logIntervalNanos);
    }

    public EvalOptions withMaxNewTokens(Integer m) {
        return new EvalOptions(seed, limit, m, chat, only, slots, loglikBatchTokens, kvCacheBytes, addBos, resamples, log, clock, logIntervalNanos);
    }

    public EvalOptions withChat(Boolean c) {
        return new EvalOptions(seed, limit, maxNewTokens, c, only, slots, loglikBatchTokens, kvCacheBytes, addBos, resamples, log, clock, logIntervalNanos);
    }

    public EvalOptions withOnly(java.util.Set<String> o) {
        return new EvalOptions(seed, limit, maxNewTokens, chat, o, slots, loglikBatchTokens, kvCacheBytes, addBos, resamples, log, clock, logIntervalNanos);
    }

    public EvalOptions withSlots(int s) {
        return new EvalOptions(seed, limit, maxNewTokens, chat, only, s, loglikBatchTokens, kvCacheBytes, addBos, resamples, log, clock, logIntervalNanos);
    }

    public EvalOptions withAddBos(boolean b) {
        return new EvalOptions(seed, limit, maxNewTokens, chat, only, slots, loglikBatchTokens, kvCacheBytes, b, resamples, log, clock, logIntervalNanos);
    }

    public EvalOptions withLog(Consumer<String> l, long intervalNanos) {
        return new EvalOptions(seed, limit, maxNewTokens, chat, only, slots, loglikBatchTokens, kvCacheBytes, addBos, resamples, l, clock, intervalNanos);
    }

    public EvalOptions withKvCacheBytes(long b) {
        return new EvalOptions(seed, limit, maxNewTokens, chat, only, slots, loglikBatchTokens, b, addBos, resamples, log, clock, logIntervalNanos);
    }
}
