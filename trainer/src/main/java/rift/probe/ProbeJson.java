package rift.probe;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import rift.kernels.RiftException;
import rift.probe.ProbeReport.BenchmarkProbes;
import rift.probe.ProbeReport.DecodedToken;
import rift.probe.ProbeReport.PcaProbe;
import rift.probe.ProbeReport.Summary;
import rift.probe.ProbeReport.TokenProbe;
import rift.probe.TokenShiftResult.Buckets;

/**
 * probes.json: every number of a {@link ProbeReport}, keys in a fixed order, doubles as Java's shortest
 * round-trip decimal, "\n" line ends, nothing time- or path-dependent, so the same report gives the same
 * bytes. A non-finite number (none is expected) is written as null.
 */
public final class ProbeJson {
    private ProbeJson() {}

    public static final String FILE = "probes.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes dir/probes.json and returns its path. */
    public static Path write(Path dir, ProbeReport report) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, toJson(report), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RiftException(file + ": cannot write the probe results (" + e.getMessage() + "); check --out");
        }
        return file;
    }

    public static String toJson(ProbeReport report) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter();
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        pp.indentObjectsWith(indent);
        pp.indentArraysWith(indent);
        try {
            return JSON.writer(pp).writeValueAsString(tree(report)) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode tree(ProbeReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("base", r.base());
        root.put("tuned", r.tuned());
        root.put("suite", r.suite());
        ProbeOptions o = r.options();
        ArrayNode probes = root.putArray("probes");
        if (o.tokenProbes()) probes.add("kl").add("rank");
        if (o.pcaProbe()) probes.add("pca");
        ObjectNode opts = root.putObject("options");
        opts.put("limit", o.limit());
        opts.put("paper_offbyone", o.paperOffByOne());
        if (o.maxNewTokens() != null) opts.put("max_new_tokens", o.maxNewTokens());
        else opts.putNull("max_new_tokens");
        opts.put("add_bos", o.addBos());
        opts.put("mask_padding", o.maskPadding());
        opts.put("max_text_tokens", o.maxTextTokens());
        opts.put("pca_text", r.pcaText());
        opts.put("top_tokens", o.topTokens());

        ArrayNode benchmarks = root.putArray("benchmarks");
        for (BenchmarkProbes b : r.benchmarks()) {
            ObjectNode n = benchmarks.addObject();
            n.put("id", b.id());
            n.put("group", b.group().label());
            if (b.token() != null) token(n.putObject("token"), b.token());
            if (b.pca() != null) pca(n.putObject("pca"), b.pca());
        }
        ObjectNode groups = root.putObject("groups");
        for (Summary s : r.groups()) summary(groups.putObject(s.name()), s);
        summary(root.putObject("overall"), r.overall());
        return root;
    }

    private static void token(ObjectNode n, TokenProbe p) {
        TokenShiftResult t = p.result();
        n.put("responses", t.sequences());
        n.put("responses_scored", t.sequencesUsed());
        n.put("tokens", t.tokens());
        num(n, "kl", t.kl());
        num(n, "kl_signed", t.klSigned());
        num(n, "avg_rank_shift", t.avgRankShift());
        num(n, "avg_rank_shift_per_token", t.avgRankShiftPerToken());
        n.put("shifted_tokens", t.shiftedTokens());
        num(n, "shifted_fraction", t.shiftedFraction());
        buckets(n.putObject("buckets"), t.buckets());
        n.put("skipped_first_token", t.skippedFirstToken());
        n.put("max_new_tokens", p.maxNewTokens());
        num(n, "mean_response_tokens", p.meanResponseTokens());
        ObjectNode fin = n.putObject("finish");
        p.finishes().forEach(fin::put);
        n.put("truncated_prompts", p.truncatedPrompts());
        tokens(n.putArray("top_shifted_tokens"), p.topShiftedTokens());
        ArrayNode per = n.putArray("shifted_per_response");
        for (int c : t.shiftedPerResponse()) per.add(c);
        ArrayNode curve = n.putArray("rank_shift_by_position");
        for (double v : t.rankShiftByPosition()) add(curve, v);
        ArrayNode support = n.putArray("responses_at_position");
        for (int v : t.responsesAtPosition()) support.add(v);
    }

    private static void pca(ObjectNode n, PcaProbe p) {
        PcaShift.Result r = p.result();
        n.put("texts", p.texts());
        n.put("positions", p.positions());
        n.put("truncated_texts", p.truncatedTexts());
        num(n, "mean_text_tokens", p.meanTextTokens());
        num(n, "d", r.d());
        num(n, "mean_shift", r.meanShift());
        num(n, "mean_pc2_base", r.meanPc2Base());
        num(n, "mean_pc2_tuned", r.meanPc2Tuned());
        ArrayNode layers = n.putArray("layers");
        for (PcaShift.LayerPoint l : r.layers()) {
            ObjectNode x = layers.addObject();
            x.put("layer", l.layer());
            num(x, "pc1_base", l.pc1Base());
            num(x, "pc2_base", l.pc2Base());
            num(x, "pc1_tuned", l.pc1Tuned());
            num(x, "pc2_tuned", l.pc2Tuned());
            num(x, "shift", l.shift());
            num(x, "variance_pc1", l.variancePc1());
            num(x, "variance_pc2", l.variancePc2());
        }
    }

    private static void summary(ObjectNode n, Summary s) {
        ArrayNode ids = n.putArray("benchmarks");
        s.benchmarks().forEach(ids::add);
        if (s.token() != null) {
            ObjectNode t = n.putObject("token");
            num(t, "mean_kl", s.token().meanKl());
            num(t, "mean_rank_shift", s.token().meanRankShift());
            t.put("tokens", s.token().tokens());
            num(t, "shifted_fraction", s.token().shiftedFraction());
            buckets(t.putObject("buckets"), s.token().buckets());
            tokens(t.putArray("top_shifted_tokens"), s.topShiftedTokens());
        }
        if (s.meanD() != null) num(n.putObject("pca"), "mean_d", s.meanD());
    }

    private static void buckets(ObjectNode n, Buckets b) {
        n.put("unshifted", b.unshifted());
        n.put("marginal", b.marginal());
        n.put("shifted", b.shifted());
        num(n, "unshifted_fraction", b.unshiftedFraction());
        num(n, "marginal_fraction", b.marginalFraction());
        num(n, "shifted_fraction", b.shiftedFraction());
    }

    private static void tokens(ArrayNode a, List<DecodedToken> tokens) {
        for (DecodedToken t : tokens) {
            ObjectNode x = a.addObject();
            x.put("id", t.tokenId());
            x.put("token", t.token());
            x.put("text", t.text());
            x.put("count", t.count());
            num(x, "mean_rank_shift", t.meanRankShift());
        }
    }

    private static void num(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) n.put(key, v);
        else n.putNull(key);
    }

    private static void add(ArrayNode a, double v) {
        if (Double.isFinite(v)) a.add(v);
        else a.addNull();
    }
}
