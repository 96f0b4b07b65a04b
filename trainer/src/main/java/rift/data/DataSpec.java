package rift.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import rift.kernels.RiftException;
import rift.recipe.DataConfig;

/**
 * What to read and how: the files, their layout, which JSON fields hold prompt / answer / solution,
 * which records to keep and what a bad record does. Mirrors the recipe's {@code data.train},
 * {@code data.format}, {@code data.fields}, {@code data.filter} and {@code data.on_bad_record}.
 *
 * @param files the files, read in this order ({@code .jsonl} or gzip-compressed {@code .jsonl.gz})
 * @param format the record layout
 * @param fields the field names; a null name takes the format's default
 * @param filter field name -> accepted values; a record is kept when every listed field matches one
 *     of its values (see {@link #valueMatches})
 * @param onBadRecord what a line that cannot be read does
 * @param requireSolution whether a record without a solution is bad (SFT, dataset completions); when
 *     false such a record gets a null solution
 * @param requireAnswer whether a generic JSONL record without an answer is bad (GRPO and evaluation need
 *     the gold answer; SFT and pretraining documents do not), when false such a record gets a null answer
 * @param keepCalculatorAnnotations GSM8K only: keep the {@code <<48/2=24>>} calculator annotations in
 *     the solution (they are removed by default: a model trained on them learns to write them)
 */
public record DataSpec(List<Path> files, Format format, Fields fields, Map<String, List<String>> filter,
        OnBadRecord onBadRecord, boolean requireSolution, boolean keepCalculatorAnnotations, boolean requireAnswer) {

    public enum Format {
        /**
         * {@code question}; {@code answer} = worked solution ending in {@code #### N}. The gold answer is N
         * (thousands separators removed); the solution is the whole worked text, {@code #### N} line
         * included (the answer format the gsm8k reward and verifier look for), calculator annotations removed.
         */
        GSM8K,
        /** MATH / MATH-500: {@code problem}, {@code solution}, {@code answer} (else the last boxed). */
        MATH,
        /** Any JSON Lines: {@code prompt}, {@code answer}, {@code solution} unless renamed. */
        JSONL;

        /** The recipe spelling: gsm8k, math, jsonl. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum OnBadRecord { ERROR, SKIP }

    /** Names of the JSON fields holding the prompt, the gold answer and the worked solution. */
    public record Fields(String prompt, String answer, String solution) {
        public static final Fields DEFAULT = new Fields(null, null, null);

        /** These names with every null filled from {@code format}'s defaults. */
        public Fields withDefaultsFor(Format format) {
            Fields d = switch (format) {
                case GSM8K -> new Fields("question", "answer", "answer");
                case MATH -> new Fields("problem", "answer", "solution");
                case JSONL -> new Fields("prompt", "answer", "solution");
            };
            return new Fields(prompt != null ? prompt : d.prompt, answer != null ? answer : d.answer,
                    solution != null ? solution : d.solution);
        }
    }

    public DataSpec {
        if (files == null || files.isEmpty())
            throw new RiftException("data.train lists no files: give at least one .jsonl or .jsonl.gz file");
        files = List.copyOf(files);
        if (format == null) format = Format.JSONL;
        fields = (fields == null ? Fields.DEFAULT : fields).withDefaultsFor(format);
        Map<String, List<String>> sorted = new TreeMap<>();
        if (filter != null) {
            for (var e : filter.entrySet()) {
                if (e.getValue() == null || e.getValue().isEmpty())
                    throw new RiftException("data.filter." + e.getKey() + " lists no values: a record could"
                            + " never match; give the accepted values, e.g. level: [3, 4, 5], or remove the key");
                sorted.put(e.getKey(), List.copyOf(e.getValue()));
            }
        }
        filter = Collections.unmodifiableMap(sorted);
        if (onBadRecord == null) onBadRecord = OnBadRecord.ERROR;
    }

    /** Defaults for these files: format's field names, no filter, bad records are errors, solution optional. */
    public static DataSpec of(Format format, Path... files) {
        return new DataSpec(List.of(files), format, null, null, OnBadRecord.ERROR, false, false, true);
    }

    public DataSpec withFields(Fields f) {
        return new DataSpec(files, format, f, filter, onBadRecord, requireSolution, keepCalculatorAnnotations, requireAnswer);
    }

    public DataSpec withFilter(Map<String, List<String>> f) {
        return new DataSpec(files, format, fields, f, onBadRecord, requireSolution, keepCalculatorAnnotations, requireAnswer);
    }

    public DataSpec withOnBadRecord(OnBadRecord o) {
        return new DataSpec(files, format, fields, filter, o, requireSolution, keepCalculatorAnnotations, requireAnswer);
    }

    public DataSpec withRequireSolution(boolean r) {
        return new DataSpec(files, format, fields, filter, onBadRecord, r, keepCalculatorAnnotations, requireAnswer);
    }

    public DataSpec withRequireAnswer(boolean a) {
        return new DataSpec(files, format, fields, filter, onBadRecord, requireSolution, keepCalculatorAnnotations, a);
    }

    public DataSpec withKeepCalculatorAnnotations(boolean k) {
        return new DataSpec(files, format, fields, filter, onBadRecord, requireSolution, k, requireAnswer);
    }

    /**
     * The spec a recipe's {@code data} section describes; {@code data.train} names are resolved with
     * {@link DataFiles#resolve} (so {@code data:gsm8k/train.jsonl.gz} works).
     *
     * @param requireSolution true for SFT and for GRPO with {@code sampling: dataset}
     */
    public static DataSpec fromRecipe(DataConfig data, boolean requireSolution) {
        List<Path> files = new ArrayList<>();
        for (String name : data.train()) files.add(DataFiles.resolve(name));
        Format format = data.format() == null ? Format.JSONL : Format.valueOf(data.format().name());
        Fields fields = data.fields() == null ? Fields.DEFAULT
                : new Fields(data.fields().prompt(), data.fields().answer(), data.fields().solution());
        OnBadRecord bad = data.onBadRecord() == null ? OnBadRecord.ERROR : OnBadRecord.valueOf(data.onBadRecord().name());
        return new DataSpec(files, format, fields, data.filter(), bad, requireSolution, false, true);
    }

    /** Whether a record passes the filter; {@code fieldText} gives a field's value as text, or null. */
    public boolean keeps(Function<String, String> fieldText) {
        for (var e : filter.entrySet()) {
            String text = fieldText.apply(e.getKey());
            if (text == null) return false;
            boolean any = false;
            for (String wanted : e.getValue()) any |= valueMatches(text, wanted);
            if (!any) return false;
        }
        return true;
    }

    /**
     * A filter value matches a field when it equals the field's text (both stripped), or when it is an
     * integer equal to the field's last word: {@code 3} matches MATH's {@code "Level 3"} and MATH-500's
     * {@code 3}. Only numbers match a last word, so {@code Algebra} does not match
     * {@code "Intermediate Algebra"}.
     */
    public static boolean valueMatches(String fieldText, String wanted) {
        String t = fieldText.strip(), w = wanted.strip();
        if (t.equals(w)) return true;
        if (!w.matches("-?\\d+")) return false;
        return t.substring(t.lastIndexOf(' ') + 1).equals(w);
    }
}
