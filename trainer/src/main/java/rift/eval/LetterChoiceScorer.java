package rift.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Multiple choice answered in text, extracted as EvalChemy's GPQA-Diamond does: upper-case the response
 * and take the LAST standalone option letter ({@code \b(A|B|C|D)\b}, word boundaries as Python 3's
 * Unicode regexes draw them). The letters are A, B, ... one per option (A-D for four options), or the
 * suite's {@code letters} when the records carry no option list. Reports {@code acc}; also
 * {@code no_answer}.
 */
public final class LetterChoiceScorer implements GenerationScorer {
    private final String letters;

    /** @param letters the option letters when items have no choices list (e.g. "ABCD"); null derives them from the choices */
    public LetterChoiceScorer(String letters) {
        this.letters = letters;
    }

    @Override
    public String type() {
        return "letter_choice";
    }

    @Override
    public String metric() {
        return "acc";
    }

    @Override
    public List<String> requiredFields() {
        return List.of("gold");
    }

    /** The letters an item can be answered with. */
    String lettersOf(EvalItem item) {
        if (letters != null) return letters;
        int n = item.choices() == null ? 4 : item.choices().size();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append((char) ('A' + i));
        return s.toString();
    }

    @Override
    public Object prepare(EvalItem item) {
        String ls = lettersOf(item);
        if (item.gold() < 0 || item.gold() >= ls.length()) {
            throw new rift.kernels.RiftException(item.where() + ": item " + item.id() + ": the gold option is number " + (item.gold() + 1)
                    + " but only the letters " + ls + " can answer it; fix fields.gold or the scorer's letters");
        }
        return null;
    }

    /** The last standalone letter of {@code letters} in the upper-cased response, or null. */
    static String extract(String response, String letters) {
        StringBuilder alt = new StringBuilder();
        for (char c : letters.toCharArray()) alt.append(alt.isEmpty() ? "" : "|").append(Pattern.quote(String.valueOf(c)));
        Pattern p = Pattern.compile("\\b(" + alt + ")\\b", Pattern.UNICODE_CHARACTER_CLASS);
        Matcher m = p.matcher(response.toUpperCase(Locale.ROOT));
        String last = null;
        while (m.find()) last = m.group(1);
        return last;
    }

    @Override
    public Judgement judge(EvalItem item, String response) {
        String ls = lettersOf(item);
        String got = extract(response, ls);
        String want = String.valueOf(ls.charAt(item.gold()));
        return Judgement.of(got, want.equals(got), Map.of("gold", want));
    }

    @Override
    public Map<String, Double> subMetrics(List<ItemResult> results) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("acc", ItemResult.percent(results));
        m.put("no_answer", ItemResult.percentOfSamples(results, j -> j.extracted() == null));
        return m;
    }
}
