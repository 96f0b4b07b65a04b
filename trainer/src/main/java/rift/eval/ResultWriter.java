package rift.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rift.eval.ti.BenchmarkGroup;
import rift.kernels.RiftException;

/**
 * Writes a run's results into a folder:
 * <ul>
 *   <li>{@code <benchmark>.jsonl}: one line per item: id, index, prompt, references, choices, responses,
 *       finish reasons, extracted answers, correct flags, per-sample scores (credit / weight), the item
 *       score (avg@k) and the scorer's details;</li>
 *   <li>{@code scores.csv}: {@code model,base,benchmark,group,score} (score in percent), the input
 *       format of {@code rift ti};</li>
 *   <li>{@code scores.json}: the same plus metric, bootstrap interval, sub-metrics, sizes, decoding and
 *       group means.</li>
 * </ul>
 * Nothing time-dependent is written, so the same run gives the same bytes. Each file is written to a
 * temporary name and renamed into place.
 */
public final class ResultWriter {
    private ResultWriter() {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** What the run was: model, base (may be empty), suite, seed, limit. */
    public record RunInfo(String model, String base, String suite, String suiteFile, long seed, Integer limit) {}

    public static void write(Path dir, RunInfo run, List<BenchmarkResult> results) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RiftException("--out " + dir + ": cannot create the folder (" + e.getMessage() + ")", e);
        }
        for (BenchmarkResult r : results) {
            StringBuilder s = new StringBuilder();
            for (ItemResult item : r.items()) s.append(itemJson(r, item)).append('\n');
            writeAtomically(dir.resolve(r.benchmark().id() + ".jsonl"), s.toString());
        }
        writeAtomically(dir.resolve("scores.csv"), csv(run, results));
        writeAtomically(dir.resolve("scores.json"), json(run, results));
    }

    static String itemJson(BenchmarkResult r, ItemResult item) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", item.id());
        n.put("index", item.index());
        n.put("prompt", item.prompt());
        ArrayNode refs = n.putArray("references");
        item.references().forEach(refs::add);
        if (item.promptTruncated()) n.put("prompt_truncated", true);
        ArrayNode responses = n.putArray("responses"), finish = n.putArray("finish"), extracted = n.putArray("extracted"),
                correct = n.putArray("correct"), scores = n.putArray("scores"), details = n.putArray("details");
        item.responses().forEach(responses::add);
        item.finishes().forEach(finish::add);
        for (Judgement j : item.judgements()) {
            extracted.add(j.extracted());
            correct.add(j.correct());
            scores.add(j.score() / j.weight());
            details.add(JSON.valueToTree(j.detail()));
        }
        n.put("score", item.score() / item.weight());
        return n.toString();
    }

    static String csv(RunInfo run, List<BenchmarkResult> results) {
        StringBuilder s = new StringBuilder("model,base,benchmark,group,score\n");
        for (BenchmarkResult r : results) {
            s.append(csvField(run.model())).append(',').append(csvField(run.base())).append(',').append(csvField(r.benchmark().id()))
                    .append(',').append(r.benchmark().group().label()).append(',').append(number(r.score())).append('\n');
        }
        return s.toString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** A score as written to the CSV: 4 decimals (scores are percentages). */
    static String number(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    static String json(RunInfo run, List<BenchmarkResult> results) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", run.model());
        root.put("base", run.base());
        root.put("suite", run.suite());
        root.put("suite_file", run.suiteFile());
        root.put("seed", run.seed());
        if (run.limit() == null) root.putNull("limit");
        else root.put("limit", run.limit());
        ArrayNode list = root.putArray("benchmarks");
        Map<BenchmarkGroup, double[]> groups = new LinkedHashMap<>();
        for (BenchmarkResult r : results) {
            Benchmark b = r.benchmark();
            ObjectNode o = list.addObject();
            o.put("id", b.id());
            o.put("group", b.group().label());
            o.put("scorer", b.scorer().type());
            o.put("metric", b.scorer().metric());
            o.put("score", r.score());
            o.put("ci_low", r.ci().low());
            o.put("ci_high", r.ci().high());
            o.put("ci_level", 0.95);
            o.put("items", r.items().size());
            o.put("samples_per_item", r.samplesPerItem());
            ObjectNode sub = o.putObject("sub_metrics");
            r.subMetrics().forEach(sub::put);
            if (b.generates()) {
                ObjectNode d = o.putObject("decoding");
                d.put("temperature", b.decoding().temperature());
                d.put("top_p", b.decoding().topP());
                d.put("max_new_tokens", b.decoding().maxNewTokens());
                d.put("samples", b.decoding().samples());
            }
            o.put("chat", b.chat());
            o.put("data", b.data());
            o.put("truncated_prompts", r.truncatedPrompts());
            double[] g = groups.computeIfAbsent(b.group(), k -> new double[2]);
            g[0] += r.score();
            g[1]++;
        }
        ObjectNode means = root.putObject("group_means");
        for (BenchmarkGroup g : BenchmarkGroup.values()) {
            double[] v = groups.get(g);
            if (v != null) means.put(g.label(), v[0] / v[1]);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeAtomically(Path target, String text) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RiftException(target + ": cannot write (" + e.getMessage() + "); check free disk space and write permission", e);
        }
    }
}
