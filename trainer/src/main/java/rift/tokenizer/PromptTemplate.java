package rift.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import rift.kernels.RiftException;

/**
 * A plain-text prompt from a recipe, e.g. {@code "Problem: {problem}\nAnswer:"}: each {@code {field}}
 * is replaced by that field of a data record. {@code {{} and {@code }}} write literal braces (as in
 * Python's str.format, so templates can show JSON or LaTeX such as {@code \\boxed{{}}}). Field names are
 * letters, digits, '_', '.' and '-'. The template is checked when built; a record without a field the
 * template uses is an error naming the field, never an empty substitution.
 */
public final class PromptTemplate {

    private sealed interface Part permits Literal, Field {}

    private record Literal(String text) implements Part {}

    private record Field(String name) implements Part {}

    private final String source;
    private final String where;
    private final List<Part> parts;
    private final Set<String> fields;

    private PromptTemplate(String source, String where, List<Part> parts) {
        this.source = source;
        this.where = where;
        this.parts = List.copyOf(parts);
        Set<String> f = new LinkedHashSet<>();
        for (Part p : parts) if (p instanceof Field(String name)) f.add(name);
        this.fields = Set.copyOf(f);
    }

    /**
     * Parses a template.
     *
     * @param where names the template in errors, e.g. {@code "recipe sft.yaml, field prompt"}
     */
    public static PromptTemplate parse(String template, String where) {
        List<Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                lit.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                lit.append('}');
                i += 2;
            } else if (c == '{') {
                int close = template.indexOf('}', i + 1);
                if (close < 0) throw bad(where, template, "the '{' at character " + i + " is never closed", "close it, or write {{ for a literal brace");
                String name = template.substring(i + 1, close);
                if (!name.matches("[A-Za-z0-9_.\\-]+")) {
                    throw bad(where, template, "\"{" + name + "}\" at character " + i + " is not a field name",
                            "use {field} with letters, digits, _ . -, or write {{ and }} for literal braces");
                }
                if (!lit.isEmpty()) parts.add(new Literal(lit.toString()));
                lit.setLength(0);
                parts.add(new Field(name));
                i = close + 1;
            } else if (c == '}') {
                throw bad(where, template, "the '}' at character " + i + " has no opening '{'", "write }} for a literal brace");
            } else {
                lit.append(c);
                i++;
            }
        }
        if (!lit.isEmpty()) parts.add(new Literal(lit.toString()));
        return new PromptTemplate(template, where, parts);
    }

    private static RiftException bad(String where, String template, String problem, String fix) {
        return new RiftException(where + ": prompt template " + SpecialTokenIds.quote(template) + ": " + problem + "; " + fix);
    }

    /** The field names the template uses. */
    public Set<String> fields() {
        return fields;
    }

    /** The template text as written. */
    public String source() {
        return source;
    }

    /**
     * Fills the template from a record (values are written with {@code String.valueOf}).
     *
     * @param recordName names the record in errors, e.g. {@code "train.jsonl line 12"}
     */
    public String render(Map<String, ?> record, String recordName) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Literal(String text) -> out.append(text);
                case Field(String name) -> {
                    if (!record.containsKey(name) || record.get(name) == null) {
                        throw new RiftException(where + ": prompt template uses {" + name + "}, but " + recordName + " has no field \"" + name
                                + "\" (it has " + new TreeSet<>(record.keySet()) + "); fix the field name in the template or the data");
                    }
                    out.append(record.get(name));
                }
            }
        }
        return out.toString();
    }

    /**
     * Checks up front that records with these fields can fill the template (e.g. against the first
     * record of a data file before training starts).
     */
    public void requireFields(Set<String> available, String dataName) {
        for (String f : fields) {
            if (!available.contains(f)) {
                throw new RiftException(where + ": prompt template uses {" + f + "}, but " + dataName + " has no field \"" + f
                        + "\" (it has " + new TreeSet<>(available) + "); fix the field name in the template or the data");
            }
        }
    }
}
