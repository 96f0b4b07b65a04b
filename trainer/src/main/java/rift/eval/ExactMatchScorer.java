package rift.eval;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Short free-text answers (CoQA/SQuAD style): exact match and token F1 after SQuAD's normalisation
 * (lower case, drop ASCII punctuation, drop the articles a/an/the, collapse whitespace), each the best
 * over the accepted references. The prediction is the stripped response, cut at its first line break
 * unless {@code first_line} is off. When either side normalises to nothing, F1 is 1 if both do and 0
 * otherwise (the CoQA / SQuAD 2.0 rule). {@code metric} picks em or f1; both are kept.
 */
public final class ExactMatchScorer implements GenerationScorer {
    public enum Metric { EM, F1 }

    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    /** Python's string.punctuation. */
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final Metric metric;
    private final boolean firstLine;

    public ExactMatchScorer(Metric metric, boolean firstLine) {
        this.metric = metric;
        this.firstLine = firstLine;
    }

    @Override
    public String type() {
        return "exact_match";
    }

    @Override
    public String metric() {
        return metric == Metric.EM ? "em" : "f1";
    }

    @Override
    public List<String> requiredFields() {
        return List.of("reference");
    }

    /** SQuAD's normalize_answer. */
    static String normalize(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) if (PUNCTUATION.indexOf(c) < 0) b.append(c);
        String t = ARTICLES.matcher(b).replaceAll(" ");
        return String.join(" ", tokens(t));
    }

    private static List<String> tokens(String s) {
        String t = s.strip();
        return t.isEmpty() ? List.of() : List.of(SPACE.split(t));
    }

    static boolean exact(String prediction, String reference) {
        return normalize(prediction).equals(normalize(reference));
    }

    static double f1(String prediction, String reference) {
        List<String> p = tokens(normalize(prediction)), g = tokens(normalize(reference));
        if (p.isEmpty() || g.isEmpty()) return p.isEmpty() && g.isEmpty() ? 1 : 0;
        Map<String, Integer> count = new HashMap<>();
        for (String t : g) count.merge(t, 1, Integer::sum);
        int same = 0;
        for (String t : p) {
            Integer c = count.get(t);
            if (c != null && c > 0) {
                same++;
                count.put(t, c - 1);
            }
        }
        if (same == 0) return 0;
        double precision = (double) same / p.size(), recall = (double) same / g.size();
        return 2 * precision * recall / (precision + recall);
    }

    /** The prediction read from a response. */
    String prediction(String response) {
        String s = response.strip();
        if (firstLine) {
            int nl = s.indexOf('\n');
            if (nl >= 0) s = s.substring(0, nl).strip();
        }
        return s;
    }

    @Override
    public Judgement judge(EvalItem item, String response) {
        String pred = prediction(response);
        boolean em = false;
        double f1 = 0;
        for (String ref : item.references()) {
            em |= exact(pred, ref);
            f1 = Math.max(f1, f1(pred, ref));
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("em", em ? 1.0 : 0.0);
        d.put("f1", f1);
        return new Judgement(pred, metric == Metric.EM ? (em ? 1 : 0) : f1, 1, d);
    }

    @Override
    public Map<String, Double> subMetrics(List<ItemResult> results) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(metric(), ItemResult.percent(results));
        String other = metric == Metric.EM ? "f1" : "em";
        double sum = 0;
        long n = 0;
        for (ItemResult r : results)
            for (Judgement j : r.judgements()) {
                sum += ((Number) j.detail().get(other)).doubleValue();
                n++;
            }
        m.put(other, 100 * sum / n);
        return m;
    }
}
