package rift.eval;

/**
 * Which record fields a benchmark reads (the suite's {@code fields:} mapping). Each is a {@link FieldPath}
 * or null when not given.
 *
 * @param id        the item's id (default: its 1-based line number in the data file)
 * @param reference the gold answer: a string or number, or a list of accepted answers
 * @param choices   the list of options (multiple choice)
 * @param gold      the correct option: a 0-based index, a letter (A, B, ...), or the option's text
 */
public record FieldMap(FieldPath id, FieldPath reference, FieldPath choices, FieldPath gold) {
    public static final FieldMap NONE = new FieldMap(null, null, null, null);
}
