package rift.probe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import rift.eval.Benchmark;
import rift.eval.EvalData;
import rift.eval.EvalItem;
import rift.eval.Suite;
import rift.eval.ti.BenchmarkGroup;
import rift.kernels.RiftException;
import rift.model.ModelConfig;
import rift.model.Transformer;
import rift.probe.ProbeReport.BenchmarkProbes;
import rift.probe.ProbeReport.DecodedToken;
import rift.probe.ProbeReport.PcaProbe;
import rift.probe.ProbeReport.Summary;
import rift.probe.ProbeReport.TokenProbe;
import rift.probe.TokenShiftResult.ShiftedToken;
import rift.rollout.RolloutEngine;
import rift.rollout.Sampler;
import rift.tokenizer.Tokenizer;
import rift.util.Rng;

/**
 * Runs the paper's drift probes (paper.md §4.1-§4.3) of a tuned model against its base on every benchmark
 * of a suite, on the first K items of each (K = {@link ProbeOptions#limit()}, the paper's 100).
 *
 * <p><b>Token probes (KL, rank shift).</b> The TUNED model answers each item greedily with the benchmark's
 * prompt (chat template included when the benchmark says so) and its max_new_tokens; generation stops at
 * EOS, the tokenizer's stop ids or a stop string. The response is the generated token ids without the token
 * that ended it (EOS, a stop id, or the token completing a stop string), i.e. the ids of what the paper's
 * response text holds. Prompt + response is then teacher-forced through BOTH models in identical packed
 * batches ({@link TeacherForcing}), and {@link TokenShift} turns the per-token log-probs and ranks into the
 * task KL, average rank shift, URIAL buckets, shifted-token list and per-position curve. The same token ids
 * are scored under both models (no re-tokenisation), so BASE and TUNED must share the vocabulary.
 *
 * <p><b>PCA shift.</b> Each item becomes one text (see {@link #PCA_TEXT}), tokenised with the BASE
 * tokenizer (plus BOS when asked) and cut to its first {@link ProbeOptions#maxTextTokens()} tokens; the K
 * texts form one left-padded batch ({@link PooledHiddenStates}) run through both models, and {@link PcaShift}
 * fits the base PCA per layer and measures d.
 *
 * <p>Groups (math / other / non) and the overall line average the benchmark values: the KL and rank shift
 * with {@link TokenShift#aggregate}, d with {@link PcaShift#meanD}. Nothing depends on time or thread
 * scheduling: the same models, suite and options give the same report.
 */
public final class ProbeRunner {
    /** What a PCA text is made of; written into probes.json. */
    public static final String PCA_TEXT = "the benchmark's user message (its prompt template filled from the record, no chat template),"
            + " then the record's \"solution\" field when it has one (a list joined with two spaces), then each reference answer not"
            + " already included, then the gold option's text for multiple choice, all joined with two spaces"
            + " (the paper joins the dataset's own fields with two spaces)";

    /** A model with its name (for reports and errors) and its tokenizer. */
    public record Model(String name, Transformer model, Tokenizer tokenizer) {}

    private final Model base, tuned;
    private final ProbeOptions opt;

    public ProbeRunner(Model base, Model tuned, ProbeOptions options) {
        this.base = base;
        this.tuned = tuned;
        this.opt = options;
        checkCompatible(base, tuned, options);
    }

    /** The two models must score the same token ids (and, for PCA, have hidden states of the same shape). */
    static void checkCompatible(Model base, Model tuned, ProbeOptions opt) {
        checkConfigs(base.name(), base.model().config, tuned.name(), tuned.model().config, opt.pcaProbe());
        int bv = base.tokenizer().vocabSize(), tv = tuned.tokenizer().vocabSize();
        if (bv != tv) {
            throw new RiftException("BASE tokenizer " + base.tokenizer().origin() + " has " + bv + " tokens but TUNED tokenizer "
                    + tuned.tokenizer().origin() + " has " + tv + "; the probes need one vocabulary for both models");
        }
        for (Model m : List.of(base, tuned)) {
            if (m.tokenizer().vocabSize() > m.model().config.vocabSize()) {
                throw new RiftException(m.name() + ": the tokenizer has " + m.tokenizer().vocabSize() + " tokens but config.json's"
                        + " vocab_size is " + m.model().config.vocabSize() + "; use the tokenizer that belongs to this model");
            }
        }
    }

    /**
     * The config.json checks alone, cheap enough to run before loading any weights: the same vocabulary, and
     * for the PCA probe the same number of layers and hidden size.
     */
    public static void checkConfigs(String baseName, ModelConfig b, String tunedName, ModelConfig t, boolean pca) {
        if (b.vocabSize() != t.vocabSize()) {
            throw new RiftException("BASE " + baseName + " has vocab_size " + b.vocabSize() + " in config.json but TUNED " + tunedName
                    + " has " + t.vocabSize() + "; the probes score the same token ids under both models, so TUNED must be a"
                    + " fine-tune of BASE with the same vocabulary");
        }
        if (pca && (b.hiddenSize() != t.hiddenSize() || b.numLayers() != t.numLayers())) {
            throw new RiftException("BASE " + baseName + " has " + b.numLayers() + " layers of hidden size " + b.hiddenSize()
                    + " but TUNED " + tunedName + " has " + t.numLayers() + " of " + t.hiddenSize() + "; the PCA shift projects"
                    + " the tuned hidden states on the base's components, layer by layer, so both need the same shape");
        }
    }

    public ProbeReport run(Suite suite) {
        List<Benchmark> selected = select(suite);
        List<BenchmarkProbes> out = new ArrayList<>();
        for (Benchmark b : selected) {
            List<EvalItem> items = EvalData.load(b);
            items = items.subList(0, Math.min(opt.limit(), items.size()));
            TokenProbe token = opt.tokenProbes() ? tokenProbe(b, items) : null;
            PcaProbe pca = opt.pcaProbe() ? pcaProbe(b, items) : null;
            out.add(new BenchmarkProbes(b.id(), b.group(), token, pca));
        }
        List<Summary> groups = new ArrayList<>();
        for (BenchmarkGroup g : BenchmarkGroup.values()) {
            List<BenchmarkProbes> in = out.stream().filter(p -> p.group() == g).toList();
            if (!in.isEmpty()) groups.add(summary(g.label(), in));
        }
        return new ProbeReport(base.name(), tuned.name(), suite.name(), opt, PCA_TEXT, out, groups, summary("overall", out));
    }

    private List<Benchmark> select(Suite suite) {
        List<Benchmark> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Benchmark b : suite.benchmarks()) {
            ids.add(b.id());
            if (opt.only() == null || opt.only().contains(b.id())) out.add(b);
        }
        if (opt.only() != null) {
            for (String id : opt.only().stream().sorted().toList()) {
                if (!ids.contains(id)) throw new RiftException("--only " + id + ": suite " + suite.name() + " has no such benchmark; it has "
                        + suite.benchmarks().stream().map(Benchmark::id).toList());
            }
        }
        if (out.isEmpty()) throw new RiftException("suite " + suite.name() + ": no benchmark to probe");
        return out;
    }

    // ---- token probes ----------------------------------------------------------------------------------

    private TokenProbe tokenProbe(Benchmark b, List<EvalItem> items) {
        Tokenizer tok = tuned.tokenizer();
        Transformer model = tuned.model();
        if (b.chat()) {
            for (String s : EvalData.chatTemplate(b).specialTokens()) {
                try {
                    tok.requireSpecialToken(s);
                } catch (RiftException e) {
                    throw new RiftException(b.where() + ": benchmark " + b.id() + " uses the chat template, but " + e.getMessage()
                            + " (or set chat: false in the suite)", e);
                }
            }
        }
        int maxNew = opt.maxNewTokens() != null ? opt.maxNewTokens() : b.decoding().maxNewTokens();
        int ctx = Math.min(model.config.maxPositionEmbeddings(), base.model().config.maxPositionEmbeddings());
        int keep = Math.min(ctx - 1, Math.max(1, ctx - maxNew));
        List<int[]> prompts = new ArrayList<>();
        int truncated = 0;
        for (EvalItem item : items) {
            int[] p = withBos(tok.encode(EvalData.promptText(b, item)), tok, model.config, "prompt of " + item.where());
            if (p.length == 0) {
                throw new RiftException(item.where() + ": benchmark " + b.id() + " renders an empty prompt; the tuned model needs"
                        + " something to answer (fix the prompt template or add a BOS token with --bos)");
            }
            if (p.length > keep) {
                p = Arrays.copyOfRange(p, p.length - keep, p.length);
                truncated++;
            }
            prompts.add(p);
        }
        opt.log().accept("probe " + b.id() + ": " + tuned.name() + " answers " + items.size() + " prompts (greedy, at most " + maxNew
                + " new tokens)");
        List<RolloutEngine.Completion> completions = generate(b, items, prompts, maxNew, ctx);
        List<TeacherForcing.Pair> pairs = new ArrayList<>();
        Map<String, Integer> finishes = new LinkedHashMap<>();
        for (String f : List.of("eos", "stop", "length")) finishes.put(f, 0);
        long responseTokens = 0;
        for (int i = 0; i < completions.size(); i++) {
            RolloutEngine.Completion c = completions.get(i);
            finishes.merge(c.finish(), 1, Integer::sum);
            int[] response = c.finish().equals("length") ? c.tokens() : Arrays.copyOf(c.tokens(), c.tokens().length - 1);
            responseTokens += response.length;
            pairs.add(new TeacherForcing.Pair(prompts.get(i), response));
        }
        opt.log().accept("probe " + b.id() + ": teacher-forcing " + responseTokens + " response tokens through both models");
        List<TeacherForcing.Scores> tunedScores = TeacherForcing.score(model, pairs, opt.batchTokens());
        List<TeacherForcing.Scores> baseScores = TeacherForcing.score(base.model(), pairs, opt.batchTokens());
        List<ScoredResponse> scored = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            TeacherForcing.Scores t = tunedScores.get(i), s = baseScores.get(i);
            scored.add(new ScoredResponse(pairs.get(i).response(), t.logProbs(), t.ranks(), s.logProbs(), s.ranks()));
        }
        TokenShift.Options options = opt.paperOffByOne() ? TokenShift.Options.paperCode() : TokenShift.Options.defaults();
        TokenShiftResult result = TokenShift.analyze(b.id(), scored, options);
        return new TokenProbe(result, decoded(result.shiftedTokenList()), finishes, truncated, maxNew,
                (double) responseTokens / Math.max(1, pairs.size()));
    }


    private int[] withBos(int[] ids, Tokenizer tok, ModelConfig c, String what) {
        if (!opt.addBos()) return ids;
        int bos = tok.bosId().orElse(c.bosTokenId());
        if (bos < 0) throw new RiftException(what + ": --bos is on but neither the tokenizer nor config.json names a BOS token; drop --bos");
        int[] out = new int[ids.length + 1];
        out[0] = bos;
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    private List<RolloutEngine.Completion> generate(Benchmark b, List<EvalItem> items, List<int[]> prompts, int maxNew, int ctx) {
        Transformer model = tuned.model();
        int longest = 0;
        for (int[] p : prompts) longest = Math.max(longest, p.length);
        int maxT = Math.min(longest + maxNew, ctx);
        long perSlot = 2L * model.config.numLayers() * model.config.kvDim() * (long) maxT * Float.BYTES;
        int slots = (int) Math.max(1, Math.min(Math.min(opt.slots(), prompts.size()), opt.kvCacheBytes() / perSlot));
        RolloutEngine engine = new RolloutEngine(model, slots, maxT).limitToTokenizer(tuned.tokenizer().vocabSize());
        List<RolloutEngine.Request> requests = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            requests.add(new RolloutEngine.Request(prompts.get(i), Rng.derive(opt.seed(), b.idHash(), items.get(i).index(), 0)));
        }
        return engine.generate(requests, Sampler.GREEDY, maxNew, stopPredicate(b));
    }

    /** Ends a response at the tokenizer's stop ids (the engine already stops at config.json's EOS) or a stop string. */
    private Predicate<int[]> stopPredicate(Benchmark b) {
        Tokenizer tok = tuned.tokenizer();
        Set<Integer> stopIds = new HashSet<>();
        for (int id : tok.stopIds()) stopIds.add(id);
        List<String> stops = b.stop();
        int window = stops.stream().mapToInt(String::length).max().orElse(0) + 16;
        return toks -> {
            if (stopIds.contains(toks[toks.length - 1])) return true;
            if (stops.isEmpty()) return false;
            String tail = decodeKnown(tok, Arrays.copyOfRange(toks, Math.max(0, toks.length - window), toks.length));
            for (String s : stops) if (tail.contains(s)) return true;
            return false;
        };
    }

    /** Text of ids, dropping ids past the tokenizer (embedding padding rows a random or tuned model may emit). */
    private static String decodeKnown(Tokenizer tok, int[] ids) {
        int v = tok.vocabSize(), n = 0;
        int[] keep = new int[ids.length];
        for (int id : ids) if (id >= 0 && id < v) keep[n++] = id;
        return tok.decode(Arrays.copyOf(keep, n));
    }

    private List<DecodedToken> decoded(List<ShiftedToken> tokens) {
        Tokenizer tok = tuned.tokenizer();
        List<DecodedToken> out = new ArrayList<>();
        for (ShiftedToken t : tokens.subList(0, Math.min(opt.topTokens(), tokens.size()))) {
            boolean known = t.tokenId() < tok.vocabSize();
            String spelling = known ? tok.token(t.tokenId()).orElse("<id " + t.tokenId() + ">") : "<id " + t.tokenId() + ">";
            String text = known ? tok.decodeKeepingSpecialTokens(new int[] {t.tokenId()}) : spelling;
            out.add(new DecodedToken(t.tokenId(), spelling, text, t.count(), t.meanRankShift()));
        }
        return List.copyOf(out);
    }

    // ---- PCA shift -------------------------------------------------------------------------------------

    private PcaProbe pcaProbe(Benchmark b, List<EvalItem> items) {
        Tokenizer tok = base.tokenizer();
        List<int[]> texts = new ArrayList<>();
        int truncated = 0;
        long tokens = 0;
        int width = 0;
        for (EvalItem item : items) {
            int[] ids = withBos(tok.encode(pcaText(b, item)), tok, base.model().config, "PCA text of " + item.where());
            if (ids.length > opt.maxTextTokens()) {
                ids = Arrays.copyOf(ids, opt.maxTextTokens()); // transformers' truncation keeps the first tokens
                truncated++;
            }
            texts.add(ids);
            tokens += ids.length;
            width = Math.max(width, ids.length);
        }
        int pad = padId();
        String label = "PCA shift of benchmark " + b.id();
        opt.log().accept("probe " + b.id() + ": hidden states of " + texts.size() + " texts (" + width + " positions) through both models");
        double[][][] fb = PooledHiddenStates.extract(base.model(), texts, pad, opt.maskPadding(), opt.batchTokens(), label);
        double[][][] ft = PooledHiddenStates.extract(tuned.model(), texts, pad, opt.maskPadding(), opt.batchTokens(), label);
        PcaShift.Result result = PcaShift.analyze(b.id(), fb, ft);
        return new PcaProbe(result, texts.size(), width, truncated, (double) tokens / texts.size());
    }

    /** The PCA text of an item, as {@link #PCA_TEXT} describes. */
    static String pcaText(Benchmark b, EvalItem item) {
        List<String> parts = new ArrayList<>();
        parts.add(EvalData.userMessage(b, item));
        JsonNode solution = item.record().get("solution");
        if (solution != null && solution.isTextual()) {
            parts.add(solution.textValue());
        } else if (solution != null && solution.isArray()) {
            List<String> pieces = new ArrayList<>();
            for (JsonNode s : solution) if (s.isValueNode() && !s.isNull()) pieces.add(s.asText());
            if (!pieces.isEmpty()) parts.add(String.join("  ", pieces));
        }
        for (String r : item.references()) if (!parts.contains(r)) parts.add(r);
        if (item.choices() != null && item.gold() >= 0) {
            String gold = item.choices().get(item.gold());
            if (!parts.contains(gold)) parts.add(gold);
        }
        return String.join("  ", parts);
    }

    /** The pad token as the paper's code picks it: the BASE tokenizer's pad token, else its EOS (-1: none, fine when masked). */
    private int padId() {
        Tokenizer tok = base.tokenizer();
        if (tok.padId().isPresent()) return tok.padId().getAsInt();
        if (tok.eosId().isPresent()) return tok.eosId().getAsInt();
        ModelConfig c = base.model().config;
        if (c.padTokenId() >= 0) return c.padTokenId();
        if (c.eosTokenIds().length > 0) return c.eosTokenIds()[0];
        if (opt.maskPadding()) return -1;
        throw new RiftException(base.name() + ": neither the tokenizer nor config.json names a pad or EOS token, and the PCA probe"
                + " pools over pad positions (as the paper); add pad_token to tokenizer_config.json, or pool with --mask-padding");
    }

    // ---- summaries -------------------------------------------------------------------------------------

    private Summary summary(String name, List<BenchmarkProbes> in) {
        List<String> ids = in.stream().map(BenchmarkProbes::id).toList();
        TokenShift.Aggregate token = null;
        List<DecodedToken> top = List.of();
        if (opt.tokenProbes()) {
            token = TokenShift.aggregate(in.stream().map(p -> p.token().result()).toList());
            top = decoded(token.shiftedTokenList());
        }
        Double meanD = opt.pcaProbe() ? PcaShift.meanD(in.stream().map(p -> p.pca().result()).toList()) : null;
        return new Summary(name, ids, token, top, meanD);
    }
}
