package rift.recipe;

/**
 * Where a recipe value came from, so an error can point at it: a line of a YAML file, a command-line
 * override, or a default from the schema.
 *
 * @param file the recipe file as the user named it (for a default: the recipe being loaded)
 * @param line 1-based line in {@code file}; 0 when there is no line
 * @param override the {@code key=value} argument, for a command-line override; otherwise null
 */
public record Origin(String file, int line, String override) {
    static Origin at(String file, int line) {
        return new Origin(file, line, null);
    }

    static Origin override(String argument) {
        return new Origin(null, 0, argument);
    }

    static Origin defaultOf(String file) {
        return new Origin(file, 0, null);
    }

    public boolean isOverride() {
        return override != null;
    }

    public boolean isDefault() {
        return override == null && line == 0;
    }

    /** "file:line", "command line override 'k=v'" or "file (default)". */
    public String where() {
        if (isOverride()) return "command line override '" + override + "'";
        if (isDefault()) return file + " (default)";
        return file + ":" + line;
    }

    @Override
    public String toString() {
        return where();
    }
}
