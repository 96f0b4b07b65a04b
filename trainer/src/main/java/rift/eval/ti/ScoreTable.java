package rift.eval.ti;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * Benchmark scores of several models, each with its own base, checked for consistency.
 *
 * <p>File format (CSV, UTF-8): a header naming the columns {@code model,base,benchmark,group,score}
 * (any order, extra columns ignored), then one row per (model, benchmark). {@code base} is empty on a
 * base model's own rows; {@code group} is {@code math}, {@code other} or {@code non}; {@code score} is
 * accuracy in percent. Fields may be double-quoted ({@code ""} inside quotes is one quote). Blank lines
 * and lines starting with {@code #} are skipped.
 */
public final class ScoreTable {
    static final List<String> COLUMNS = List.of("model", "base", "benchmark", "group", "score");

    private final String source;
    /** model -> benchmark -> row, both in first-appearance order (so reports are deterministic). */
    private final Map<String, Map<String, ScoreRow>> byModel;
    private final Map<String, String> baseOf;

    private ScoreTable(String source, Map<String, Map<String, ScoreRow>> byModel, Map<String, String> baseOf) {
        this.source = source;
        this.byModel = byModel;
        this.baseOf = baseOf;
    }

    /** Where the scores came from (a file path or a label), for error messages. */
    public String source() {
        return source;
    }

    /** The models that have a base (the ones TI is computed for), in first-appearance order. */
    public List<String> evaluatedModels() {
        List<String> out = new ArrayList<>();
        for (var e : baseOf.entrySet()) if (!e.getValue().isEmpty()) out.add(e.getKey());
        return out;
    }

    /** The base of a model; empty for a base model. */
    public String baseOf(String model) {
        String b = baseOf.get(model);
        if (b == null) throw new IllegalArgumentException("unknown model " + model);
        return b;
    }

    /** A model's rows by benchmark, in file order. */
    public Map<String, ScoreRow> scores(String model) {
        Map<String, ScoreRow> m = byModel.get(model);
        if (m == null) throw new IllegalArgumentException("unknown model " + model);
        return Collections.unmodifiableMap(m);
    }

    /** Reads and checks a score file. */
    public static ScoreTable readCsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RiftException("cannot read score file " + file + ": " + e.getMessage()
                    + "; pass an existing UTF-8 CSV with header model,base,benchmark,group,score to --scores", e);
        }
        String src = file.toString();
        int[] col = null;
        List<ScoreRow> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) line = line.substring(1);
            if (line.isBlank() || line.strip().startsWith("#")) continue;
            List<String> fields = splitCsvLine(line, src, lineNo);
            if (col == null) {
                col = headerColumns(fields, src, lineNo);
                continue;
            }
            rows.add(parseRow(fields, col, src, lineNo));
        }
        if (col == null) {
            throw new RiftException(src + ": the file is empty; the first line must be the header "
                    + String.join(",", COLUMNS));
        }
        return of(src, rows);
    }

    /** Builds a table from rows and checks it (same checks as {@link #readCsv}). */
    public static ScoreTable of(String source, List<ScoreRow> rows) {
        Map<String, Map<String, ScoreRow>> byModel = new LinkedHashMap<>();
        Map<String, String> baseOf = new LinkedHashMap<>();
        Map<String, ScoreRow> baseDeclaredAt = new HashMap<>();
        Map<String, ScoreRow> groupDeclaredAt = new HashMap<>();
        for (ScoreRow r : rows) {
            String at = where(source, r);
            if (r.model().equals(r.base())) {
                throw new RiftException(at + ": model " + r.model() + " names itself as its base; leave the base"
                        + " column empty on a base model's own rows");
            }
            ScoreRow first = baseDeclaredAt.putIfAbsent(r.model(), r);
            if (first != null && !first.base().equals(r.base())) {
                throw new RiftException(at + ": model " + r.model() + " has base '" + r.base() + "' here but '"
                        + first.base() + "' at line " + first.line() + "; give every row of a model the same base");
            }
            ScoreRow g = groupDeclaredAt.putIfAbsent(r.benchmark(), r);
            if (g != null && g.group() != r.group()) {
                throw new RiftException(at + ": benchmark " + r.benchmark() + " is in group " + r.group().label()
                        + " here but in group " + g.group().label() + " at line " + g.line()
                        + "; a benchmark belongs to one group");
            }
            baseOf.putIfAbsent(r.model(), r.base());
            ScoreRow dup = byModel.computeIfAbsent(r.model(), k -> new LinkedHashMap<>()).putIfAbsent(r.benchmark(), r);
            if (dup != null) {
                throw new RiftException(at + ": model " + r.model() + " has a second score for " + r.benchmark()
                        + " (first at line " + dup.line() + "); keep one row per (model, benchmark)");
            }
        }
        ScoreTable t = new ScoreTable(source, byModel, baseOf);
        t.checkBases();
        return t;
    }

    private void checkBases() {
        List<String> evaluated = evaluatedModels();
        if (evaluated.isEmpty()) {
            throw new RiftException(source + ": no row has a base, so there is nothing to compare; give each"
                    + " fine-tuned model's rows the name of its own base model in the base column");
        }
        for (String m : evaluated) {
            String base = baseOf.get(m);
            Map<String, ScoreRow> own = byModel.get(m);
            ScoreRow firstRow = own.values().iterator().next();
            Map<String, ScoreRow> baseRows = byModel.get(base);
            if (baseRows == null) {
                throw new RiftException(where(source, firstRow) + ": model " + m + " names base " + base
                        + ", which has no rows; add the base's scores as rows with model=" + base
                        + " and an empty base column");
            }
            boolean hasMath = false;
            for (ScoreRow r : own.values()) {
                hasMath |= r.group() == BenchmarkGroup.MATH;
                if (!baseRows.containsKey(r.benchmark())) {
                    throw new RiftException(where(source, r) + ": base " + base + " has no score for benchmark "
                            + r.benchmark() + " (needed by model " + m + "); add a row " + base + ",,"
                            + r.benchmark() + "," + r.group().label() + ",<score>");
                }
            }
            if (!hasMath) {
                throw new RiftException(where(source, firstRow) + ": model " + m + " has no math benchmark; TI"
                        + " divides by the math domain index, so give it at least one row with group math");
            }
        }
    }

    private static String where(String source, ScoreRow r) {
        return r.line() > 0 ? source + " line " + r.line() : source;
    }

    private static int[] headerColumns(List<String> fields, String src, int lineNo) {
        int[] col = new int[COLUMNS.size()];
        java.util.Arrays.fill(col, -1);
        for (int i = 0; i < fields.size(); i++) {
            int k = COLUMNS.indexOf(fields.get(i).strip().toLowerCase(Locale.ROOT));
            if (k < 0) continue;
            if (col[k] >= 0) {
                throw new RiftException(src + " line " + lineNo + ": the header names column " + COLUMNS.get(k)
                        + " twice; the header must be " + String.join(",", COLUMNS));
            }
            col[k] = i;
        }
        for (int k = 0; k < col.length; k++) {
            if (col[k] < 0) {
                throw new RiftException(src + " line " + lineNo + ": the header has no column " + COLUMNS.get(k)
                        + " (found: " + String.join(",", fields) + "); the first line must be the header "
                        + String.join(",", COLUMNS));
            }
        }
        return col;
    }

    private static ScoreRow parseRow(List<String> f, int[] col, String src, int lineNo) {
        String at = src + " line " + lineNo;
        int need = 0;
        for (int c : col) need = Math.max(need, c + 1);
        if (f.size() < need) {
            throw new RiftException(at + ": " + f.size() + " fields, expected " + need
                    + " (columns model,base,benchmark,group,score); quote a field that contains a comma");
        }
        String model = f.get(col[0]).strip();
        String base = f.get(col[1]).strip();
        String benchmark = f.get(col[2]).strip();
        String groupText = f.get(col[3]).strip();
        String scoreText = f.get(col[4]).strip();
        if (model.isEmpty()) throw new RiftException(at + ": empty model; every row needs a model name");
        if (benchmark.isEmpty()) throw new RiftException(at + ": empty benchmark; every row needs a benchmark name");
        BenchmarkGroup group = BenchmarkGroup.parseOrNull(groupText);
        if (group == null) {
            throw new RiftException(at + ": unknown group '" + groupText + "'; use math, other or non");
        }
        double score;
        try {
            score = Double.parseDouble(scoreText);
        } catch (NumberFormatException e) {
            throw new RiftException(at + ": score '" + scoreText + "' is not a number; write the accuracy in"
                    + " percent, e.g. 57.7");
        }
        if (!Double.isFinite(score) || score < 0 || score > 100) {
            throw new RiftException(at + ": score " + scoreText + " is outside 0..100; scores are accuracies in"
                    + " percent (write 57.7, not 0.577)");
        }
        return new ScoreRow(model, base, benchmark, group, score, lineNo);
    }

    /** Splits one CSV line: commas separate, double quotes protect commas, "" inside quotes is a quote. */
    static List<String> splitCsvLine(String line, String src, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && cur.toString().isBlank() && !wasQuoted) {
                cur.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else {
                cur.append(c);
            }
        }
        if (quoted) {
            throw new RiftException(src + " line " + lineNo + ": a quoted field is not closed; end it with \"");
        }
        out.add(cur.toString());
        return out;
    }
}
