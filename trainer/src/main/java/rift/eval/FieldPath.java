package rift.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import rift.kernels.RiftException;

/**
 * Where a value sits in a JSON record: dot-separated field names, each optionally followed by list
 * indices, e.g. {@code answer}, {@code meta.source}, {@code final_answer[0]}.
 */
public record FieldPath(String text, List<Step> steps) {
    /** One field name with the list indices that follow it. */
    public record Step(String field, List<Integer> indices) {}

    private static final Pattern STEP = Pattern.compile("([A-Za-z0-9_\\-]+)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    public FieldPath {
        steps = List.copyOf(steps);
    }

    /** Parses a path; {@code where} names the suite key in the error. */
    public static FieldPath parse(String text, String where) {
        List<Step> steps = new ArrayList<>();
        for (String part : text.split("\\.", -1)) {
            Matcher m = STEP.matcher(part);
            if (!m.matches()) {
                throw new RiftException(where + ": \"" + text + "\" is not a field path; write field names joined by '.', each"
                        + " optionally followed by [index], e.g. answer, meta.source or final_answer[0]");
            }
            List<Integer> idx = new ArrayList<>();
            Matcher im = INDEX.matcher(m.group(2));
            while (im.find()) idx.add(Integer.parseInt(im.group(1)));
            steps.add(new Step(m.group(1), idx));
        }
        return new FieldPath(text, steps);
    }

    /** The value at this path, or null when any step is missing (or the value is JSON null). */
    public JsonNode get(JsonNode record) {
        JsonNode n = record;
        for (Step s : steps) {
            if (n == null || !n.isObject()) return null;
            n = n.get(s.field());
            for (int i : s.indices()) {
                if (n == null || !n.isArray() || i >= n.size()) return null;
                n = n.get(i);
            }
        }
        return n == null || n.isNull() ? null : n;
    }

    @Override
    public String toString() {
        return text;
    }
}
