package rift.probe;

import java.util.Set;
import java.util.function.Consumer;
import rift.kernels.RiftException;

/**
 * Settings of one {@link ProbeRunner} run (the {@code rift probe} command line's options).
 *
 * @param tokenProbes     run the KL and rank-shift probes (one teacher-forced pass gives both)
 * @param pcaProbe        run the PCA-shift probe
 * @param limit           the first K items of every benchmark (the paper: 100)
 * @param maskPadding     PCA pooling over real tokens only; false pools over pads too, as the paper's code
 * @param paperOffByOne   drop each response's first token from the token probes, as the paper's code does
 * @param maxTextTokens   PCA texts are cut to their first this many tokens (the paper: 128)
 * @param maxNewTokens    overrides every benchmark's max_new_tokens for the tuned model's responses; null keeps them
 * @param only            benchmark ids to probe (null: all)
 * @param addBos          put the tokenizer's BOS in front of every prompt and PCA text (Llama-style models)
 * @param slots           sequences the tuned model decodes together
 * @param kvCacheBytes    KV cache budget for generation; fewer slots are used when it would be larger
 * @param batchTokens     tokens per teacher-forced or hidden-state forward (a longer sequence runs alone)
 * @param topTokens       shifted tokens listed per benchmark, group and overall (most frequent first)
 * @param seed            root of the per-request random streams (greedy decoding does not draw from them)
 * @param log             progress lines (stderr on the command line)
 */
public record ProbeOptions(boolean tokenProbes, boolean pcaProbe, int limit, boolean maskPadding, boolean paperOffByOne,
                           int maxTextTokens, Integer maxNewTokens, Set<String> only, boolean addBos, int slots,
                           long kvCacheBytes, int batchTokens, int topTokens, long seed, Consumer<String> log) {

    /** The paper's K. */
    public static final int PAPER_LIMIT = 100;
    /** The paper's truncation of PCA texts. */
    public static final int PAPER_TEXT_TOKENS = 128;

    public ProbeOptions {
        if (!tokenProbes && !pcaProbe) throw new RiftException("probe: nothing to run; choose kl, rank, pca or all");
        if (limit < 1) throw new RiftException("--limit must be >= 1, got " + limit);
        if (maxTextTokens < 1) throw new RiftException("--max-text-tokens (the PCA text length) must be >= 1, got " + maxTextTokens);
        if (maxNewTokens != null && maxNewTokens < 1) throw new RiftException("--max-new-tokens must be >= 1, got " + maxNewTokens);
        if (slots < 1) throw new RiftException("--batch must be >= 1, got " + slots);
        if (kvCacheBytes < 1) throw new RiftException("the KV cache budget must be > 0 bytes, got " + kvCacheBytes);
        if (batchTokens < 1) throw new RiftException("--batch-tokens must be >= 1, got " + batchTokens);
        if (topTokens < 0) throw new RiftException("--top must be >= 0, got " + topTokens);
        if (only != null) only = Set.copyOf(only);
    }

    /** Every probe, the paper's K and text length, pads pooled, all response tokens scored. */
    public static ProbeOptions defaults() {
        return new ProbeOptions(true, true, PAPER_LIMIT, false, false, PAPER_TEXT_TOKENS, null, null, false, 8, 4L << 30, 2048,
                50, 0, System.err::println);
    }

    public ProbeOptions withProbes(boolean token, boolean pca) {
        return new ProbeOptions(token, pca, limit, maskPadding, paperOffByOne, maxTextTokens, maxNewTokens, only, addBos, slots,
                kvCacheBytes, batchTokens, topTokens, seed, log);
    }

    public ProbeOptions withLimit(int k) {
        return new ProbeOptions(tokenProbes, pcaProbe, k, maskPadding, paperOffByOne, maxTextTokens, maxNewTokens, only, addBos, slots,
                kvCacheBytes, batchTokens, topTokens, seed, log);
    }

    public ProbeOptions withMaskPadding(boolean m) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, m, paperOffByOne, maxTextTokens, maxNewTokens, only, addBos, slots,
                kvCacheBytes, batchTokens, topTokens, seed, log);
    }

    public ProbeOptions withPaperOffByOne(boolean p) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, p, maxTextTokens, maxNewTokens, only, addBos, slots,
                kvCacheBytes, batchTokens, topTokens, seed, log);
    }

    public ProbeOptions withMaxTextTokens(int n) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, paperOffByOne, n, maxNewTokens, only, addBos, slots,
                kvCacheBytes, batchTokens, topTokens, seed, log);
    }

    public ProbeOptions withMaxNewTokens(Integer n) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, paperOffByOne, maxTextTokens, n, only, addBos, slots,
                kvCacheBytes, batchTokens, topTokens, seed, log);
    }

    public ProbeOptions withOnly(Set<String> ids) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, paperOffByOne, maxTextTokens, maxNewTokens, ids, addBos, slots,
                kvCacheBytes, batchTokens, topTokens, seed, log);
    }

    public ProbeOptions withAddBos(boolean b) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, paperOffByOne, maxTextTokens, maxNewTokens, only, b, slots,
                kvCacheBytes, batchTokens, topTokens, seed, log);
    }

    public ProbeOptions withSlots(int s) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, paperOffByOne, maxTextTokens, maxNewTokens, only, addBos, s,
                kvCacheBytes, batchTokens, topTokens, seed, log);
    }

    public ProbeOptions withKvCacheBytes(long b) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, paperOffByOne, maxTextTokens, maxNewTokens, only, addBos, slots,
                b, batchTokens, topTokens, seed, log);
    }

    public ProbeOptions withBatchTokens(int n) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, paperOffByOne, maxTextTokens, maxNewTokens, only, addBos, slots,
                kvCacheBytes, n, topTokens, seed, log);
    }

    public ProbeOptions withTopTokens(int n) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, paperOffByOne, maxTextTokens, maxNewTokens, only, addBos, slots,
                kvCacheBytes, batchTokens, n, seed, log);
    }

    public ProbeOptions withSeed(long s) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, paperOffByOne, maxTextTokens, maxNewTokens, only, addBos, slots,
                kvCacheBytes, batchTokens, topTokens, s, log);
    }

    public ProbeOptions withLog(Consumer<String> l) {
        return new ProbeOptions(tokenProbes, pcaProbe, limit, maskPadding, paperOffByOne, maxTextTokens, maxNewTokens, only, addBos, slots,
                kvCacheBytes, batchTokens, topTokens, seed, l);
    }
}
