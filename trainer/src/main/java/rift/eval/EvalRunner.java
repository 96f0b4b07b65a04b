package rift.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import rift.kernels.RiftException;
import rift.model.Transformer;
import rift.rollout.RolloutEngine;
import rift.tokenizer.ChatTemplate;
import rift.tokenizer.Tokenizer;
import rift.util.Rng;

/**
 * Runs a suite on one model. Generative benchmarks go through a single {@link RolloutEngine} (one KV
 * cache, many slots, continuous batching); sample s of item i draws from
 * {@code Rng.derive(seed, benchmark id hash, i, s)}, so every response depends only on the seed, the
 * benchmark, the item's position in its file and the sample number, not on batching, --limit or the
 * other benchmarks. Log-likelihood benchmarks run teacher-forced forwards ({@link ChoiceLoglik}).
 * Progress with an ETA goes to the options' log.
 */
public final class EvalRunner {
    /** Generation requests handed to the engine at once, per slot (bounds the work between progress lines). */
    static final int REQUESTS_PER_SLOT_PER_CHUNK = 4;

    private final Transformer model;
    private final Tokenizer tok;
    private final EvalOptions opt;

    public EvalRunner(Transformer model, Tokenizer tokenizer, EvalOptions options) {
        this.model = model;
        this.tok = tokenizer;
        this.opt = options;
    }

    /** A benchmark with its items chosen and its prompts tokenised. */
    private record Prepared(Benchmark b, List<EvalItem> items, List<String> prompts, List<int[]> ids, boolean[] truncated) {}

    public List<BenchmarkResult> run(Suite suite) {
        List<Benchmark> selected = select(suite);
        List<Prepared> prepared = new ArrayList<>();
        for (Benchmark b : selected) prepared.add(prepare(b));
        RolloutEngine engine = engine(prepared);
        List<BenchmarkResult> out = new ArrayList<>();
        for (Prepared p : prepared) {
            long t0 = opt.clock().getAsLong();
            List<ItemResult> items = p.b().generates() ? generate(engine, p) : loglik(p);
            out.add(summarise(p, items, (opt.clock().getAsLong() - t0) / 1e9));
        }
        return out;
    }

    private List<Benchmark> select(Suite suite) {
        List<Benchmark> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Benchmark b : suite.benchmarks()) {
            ids.add(b.id());
            if (opt.only() != null && !opt.only().contains(b.id())) continue;
            Benchmark x = b;
            if (opt.maxNewTokens() != null) x = x.withDecoding(x.decoding().withMaxNewTokens(opt.maxNewTokens()));
            if (opt.chat() != null) x = x.withChat(opt.chat());
            out.add(x);
        }
        if (opt.only() != null) {
            for (String id : opt.only())
                if (!ids.contains(id)) throw new RiftException("--only " + id + ": suite " + suite.name() + " has no such benchmark; it has " + ids);
        }
        return out;
    }

    private Prepared prepare(Benchmark b) {
        if (b.chat()) {
            ChatTemplate t = EvalData.chatTemplate(b);
            for (String s : t.specialTokens()) {
                try {
                    tok.requireSpecialToken(s);
                } catch (RiftException e) {
                    throw new RiftException(b.where() + ": benchmark " + b.id() + " uses the chat template, but " + e.getMessage()
                            + " (or set chat: false / --chat off)", e);
                }
            }
        }
        List<EvalItem> items = EvalData.subset(EvalData.load(b), opt.limit() != null ? opt.limit() : b.limit(), opt.seed(), b);
        List<String> prompts = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        boolean[] truncated = new boolean[items.size()];
        int ctx = model.config.maxPositionEmbeddings();
        int reserve = b.generates() ? b.decoding().maxNewTokens() : 0;
        for (int i = 0; i < items.size(); i++) {
            String text = EvalData.promptText(b, items.get(i));
            prompts.add(text);
            int[] p = encodePrompt(text);
            if (b.generates()) {
                int keep = Math.min(ctx - 1, Math.max(1, ctx - reserve));
                if (p.length > keep) {
                    p = Arrays.copyOfRange(p, p.length - keep, p.length);
                    truncated[i] = true;
                }
            }
            ids.add(p);
        }
        return new Prepared(b, items, prompts, ids, truncated);
    }


    private int[] encodePrompt(String text) {
        int[] ids = tok.encode(text);
        if (!opt.addBos()) return ids;
        int bos = tok.bosId().orElse(model.config.bosTokenId());
        if (bos < 0) throw new RiftException("--bos: neither the tokenizer nor config.json names a BOS token; drop --bos");
        int[] out = new int[ids.length + 1];
        out[0] = bos;
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    /** One engine for every generative benchmark, its KV cache sized to the longest prompt plus the longest response. */
    private RolloutEngine engine(List<Prepared> prepared) {
        int need = 0, requests = 0;
        for (Prepared p : prepared) {
            if (!p.b().generates()) continue;
            for (int[] ids : p.ids()) need = Math.max(need, ids.length + p.b().decoding().maxNewTokens());
            requests = Math.max(requests, p.items().size() * p.b().decoding().samples());
        }
        if (need == 0) return null;
        var c = model.config;
        int maxT = Math.min(need, c.maxPositionEmbeddings());
        long perSlot = 2L * c.numLayers() * c.kvDim() * (long) maxT * Float.BYTES;
        int slots = Math.max(1, Math.min(opt.slots(), requests));
        if (perSlot * slots > opt.kvCacheBytes()) {
            int fit = (int) Math.max(1, opt.kvCacheBytes() / perSlot);
            opt.log().accept(String.format(java.util.Locale.ROOT, "eval: a KV cache of %d slots x %d positions needs %.1f GiB, over the"
                    + " %.1f GiB budget; using %d slot(s)", slots, maxT, perSlot * slots / (double) (1L << 30), opt.kvCacheBytes() / (double) (1L << 30), fit));
            slots = fit;
        }
        return new RolloutEngine(model, slots, maxT).limitToTokenizer(tok.vocabSize());
    }

    private List<ItemResult> generate(RolloutEngine engine, Prepared p) {
        Benchmark b = p.b();
        int k = b.decoding().samples();
        List<RolloutEngine.Request> requests = new ArrayList<>();
        for (int i = 0; i < p.items().size(); i++)
            for (int s = 0; s < k; s++) requests.add(new RolloutEngine.Request(p.ids().get(i), Rng.derive(opt.seed(), b.idHash(), p.items().get(i).index(), s)));
        GenerationScorer scorer = (GenerationScorer) b.scorer();
        Progress progress = new Progress(b.id(), requests.size(), "samples", opt.clock(), opt.log(), opt.logIntervalNanos());
        Predicate<int[]> stopOnly = stopPredicate(b);
        Predicate<int[]> stop = toks -> {
            progress.token();
            return stopOnly.test(toks);
        };
        int chunk = opt.slots() * REQUESTS_PER_SLOT_PER_CHUNK;
        List<String> responses = new ArrayList<>();
        List<String> finishes = new ArrayList<>();
        for (int start = 0; start < requests.size(); start += chunk) {
            List<RolloutEngine.Request> part = requests.subList(start, Math.min(requests.size(), start + chunk));
            for (RolloutEngine.Completion c : engine.generate(part, b.decoding().sampler(), b.decoding().maxNewTokens(), stop)) {
                responses.add(cutAtStop(decode(c.tokens()), b.stop()));
                finishes.add(c.finish());
            }
            progress.advance(part.size());
        }
        progress.finish();
        List<ItemResult> out = new ArrayList<>();
        for (int i = 0; i < p.items().size(); i++) {
            EvalItem item = p.items().get(i);
            List<String> rs = responses.subList(i * k, (i + 1) * k);
            List<Judgement> js = new ArrayList<>();
            for (String r : rs) js.add(scorer.judge(item, r));
            out.add(new ItemResult(item.index(), item.id(), p.prompts().get(i), item.references(), rs, finishes.subList(i * k, (i + 1) * k), js,
                    p.truncated()[i]));
        }
        return out;
    }

    /** Text of generated ids; ids past the tokenizer's vocabulary (padding rows of the embedding) are dropped. */
    private String decode(int[] ids) {
        int v = tok.vocabSize(), n = 0;
        int[] keep = new int[ids.length];
        for (int id : ids) if (id >= 0 && id < v) keep[n++] = id;
        return tok.decode(Arrays.copyOf(keep, n));
    }

    /** Ends a response at the tokenizer's stop ids (the engine already stops at config.json's EOS) or a stop string. */
    private Predicate<int[]> stopPredicate(Benchmark b) {
        Set<Integer> stopIds = new HashSet<>();
        for (int id : tok.stopIds()) stopIds.add(id);
        List<String> stops = b.stop();
        int window = stops.stream().mapToInt(String::length).max().orElse(0) + 16;
        return toks -> {
            if (stopIds.contains(toks[toks.length - 1])) return true;
            if (stops.isEmpty()) return false;
            String tail = decode(Arrays.copyOfRange(toks, Math.max(0, toks.length - window), toks.length));
            for (String s : stops) if (tail.contains(s)) return true;
            return false;
        };
    }

    /** The response up to the earliest stop string (lm-eval's "until": the stop string itself is removed). */
    static String cutAtStop(String text, List<String> stops) {
        int cut = text.length();
        for (String s : stops) {
            int at = text.indexOf(s);
            if (at >= 0) cut = Math.min(cut, at);
        }
        return text.substring(0, cut);
    }

    private List<ItemResult> loglik(Prepared p) {
        Benchmark b = p.b();
        ChoiceLoglikScorer scorer = (ChoiceLoglikScorer) b.scorer();
        int ctx = model.config.maxPositionEmbeddings();
        Progress progress = new Progress(b.id(), p.items().size(), "items", opt.clock(), opt.log(), opt.logIntervalNanos());
        List<ItemResult> out = new ArrayList<>();
        int itemsPerChunk = Math.max(1, opt.slots() * REQUESTS_PER_SLOT_PER_CHUNK);
        for (int start = 0; start < p.items().size(); start += itemsPerChunk) {
            int end = Math.min(p.items().size(), start + itemsPerChunk);
            List<ChoiceLoglik.Request> reqs = new ArrayList<>();
            List<List<String>> conts = new ArrayList<>();
            boolean[] truncated = new boolean[end - start];
            for (int i = start; i < end; i++) {
                List<String> cs = scorer.continuations(p.items().get(i));
                conts.add(cs);
                for (String c : cs) {
                    ChoiceLoglik.Request r = loglikRequest(p.prompts().get(i), c);
                    int over = r.context().length + r.continuation().length - 1 - ctx;
                    if (over > 0) {
                        if (over >= r.context().length) {
                            throw new RiftException(p.items().get(i).where() + ": option \"" + c + "\" alone is longer than the model's context (" + ctx + " tokens)");
                        }
                        r = new ChoiceLoglik.Request(Arrays.copyOfRange(r.context(), over, r.context().length), r.continuation());
                        truncated[i - start] = true;
                    }
                    reqs.add(r);
                }
            }
            double[] sums = ChoiceLoglik.sums(model, reqs, opt.loglikBatchTokens());
            int at = 0;
            for (int i = start; i < end; i++) {
                EvalItem item = p.items().get(i);
                int n = conts.get(i - start).size();
                Judgement j = scorer.judge(item, Arrays.copyOfRange(sums, at, at + n), conts.get(i - start));
                at += n;
                out.add(new ItemResult(item.index(), item.id(), p.prompts().get(i), item.references(), List.of(), List.of(), List.of(j),
                        truncated[i - start]));
            }
            progress.advance(end - start);
        }
        progress.finish();
        return out;
    }

    /**
     * Tokenises a context and a continuation as lm-evaluation-harness does: trailing whitespace of the
     * context moves to the continuation, the whole text is encoded, and the continuation is what follows
     * the context's own tokens (or, when the tokens do not split there, the continuation encoded alone).
     */
    ChoiceLoglik.Request loglikRequest(String context, String continuation) {
        int trim = context.length();
        while (trim > 0 && Character.isWhitespace(context.charAt(trim - 1))) trim--;
        String ctx = context.substring(0, trim), cont = context.substring(trim) + continuation;
        int[] ctxIds = encodePrompt(ctx);
        int[] whole = encodePrompt(ctx + cont);
        int[] contIds;
        if (whole.length > ctxIds.length && Arrays.equals(whole, 0, ctxIds.length, ctxIds, 0, ctxIds.length)) {
            contIds = Arrays.copyOfRange(whole, ctxIds.length, whole.length);
        } else {
            contIds = tok.encode(cont);
        }
        if (ctxIds.length == 0) {
            throw new RiftException("log-likelihood scoring needs a non-empty prompt; give the benchmark a prompt or use --bos");
        }
        return new ChoiceLoglik.Request(ctxIds, contIds);
    }

    private BenchmarkResult summarise(Prepared p, List<ItemResult> items, double seconds) {
        Benchmark b = p.b();
        double[] num = new double[items.size()], den = new double[items.size()];
        int truncated = 0;
        for (int i = 0; i < items.size(); i++) {
            num[i] = items.get(i).score();
            den[i] = items.get(i).weight();
            if (items.get(i).promptTruncated()) truncated++;
        }
        BootstrapCI.Interval ci = BootstrapCI.ratio(num, den, opt.resamples(), 0.95, Rng.derive(opt.seed(), b.idHash(), 0xB0075L).nextLong());
        BootstrapCI.Interval pct = new BootstrapCI.Interval(100 * ci.estimate(), 100 * ci.low(), 100 * ci.high());
        if (truncated > 0) {
            opt.log().accept("eval " + b.id() + ": warning: " + truncated + " prompt(s) were cut on the left to fit the model's context of "
                    + model.config.maxPositionEmbeddings() + " tokens");
        }
        var sub = new java.util.LinkedHashMap<>(b.scorer().subMetrics(items));
        Set<String> order = new LinkedHashSet<>(sub.keySet());
        if (!order.iterator().next().equals(b.scorer().metric())) throw new IllegalStateException("scorer must list its metric first");
        return new BenchmarkResult(b, items, pct.estimate(), pct, sub, truncated, seconds);
    }
}
