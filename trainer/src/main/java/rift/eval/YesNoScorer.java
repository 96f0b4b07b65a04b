package rift.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import rift.kernels.RiftException;

/**
 * Yes/no judgements, as the paper's HaluEval task scores them: the prediction is the first line of the
 * response (leading blank lines and spaces skipped); it must contain exactly one of the words "Yes" and
 * "No" (case-sensitive substrings, as the reference code tests {@code "Yes" in prediction}), which is
 * then compared with the gold label. A line with both or neither is wrong. Gold labels are yes/no or
 * true/false, any case. Reports {@code acc}; also {@code invalid} (percent of responses with both or
 * neither word).
 */
public final class YesNoScorer implements GenerationScorer {
    @Override
    public String type() {
        return "yes_no";
    }

    @Override
    public String metric() {
        return "acc";
    }

    @Override
    public List<String> requiredFields() {
        return List.of("reference");
    }

    @Override
    public Object prepare(EvalItem item) {
        return gold(item);
    }

    static boolean gold(EvalItem item) {
        String g = item.reference().strip().toLowerCase(Locale.ROOT);
        return switch (g) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new RiftException(item.where() + ": item " + item.id() + ": reference \"" + item.reference()
                    + "\" is not a yes/no label; point fields.reference at a field holding yes/no or true/false");
        };
    }

    /** "Yes", "No", or null when the first line has both or neither. */
    static String extract(String response) {
        String s = response.stripLeading();
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        boolean yes = line.contains("Yes"), no = line.contains("No");
        return yes == no ? null : yes ? "Yes" : "No";
    }

    @Override
    public Judgement judge(EvalItem item, String response) {
        String got = extract(response);
        boolean want = item.payload() instanceof Boolean b ? b : gold(item);
        return Judgement.of(got, got != null && got.equals("Yes") == want, Map.of("gold", want ? "Yes" : "No"));
    }

    @Override
    public Map<String, Double> subMetrics(List<ItemResult> results) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("acc", ItemResult.percent(results));
        m.put("invalid", ItemResult.percentOfSamples(results, j -> j.extracted() == null));
        return m;
    }
}
