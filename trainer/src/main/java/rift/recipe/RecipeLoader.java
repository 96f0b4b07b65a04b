package rift.recipe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rift.kernels.RiftException;
import rift.recipe.YamlNode.Entry;
import rift.recipe.YamlNode.MapNode;
import rift.recipe.YamlNode.ScalarNode;

/**
 * Loads a recipe in four stages, each reporting all of its problems before stopping: read the file
 * and the chain of files it {@code extends}, deep-merging each base under its child; apply the
 * command-line overrides; bind to the records (defaults, types, unknown keys); check the rules that
 * involve several keys ({@link RecipeRules}).
 */
final class RecipeLoader {
    /** The key that names a base recipe; documented here because it is not a record component. */
    static final String EXTENDS = "extends";

    static final String EXTENDS_DOC = "Base recipe to start from: a path relative to this file's folder."
            + " The base is read first (it may extend another; a cycle is an error) and this file is"
            + " deep-merged over it: mappings merge key by key, while lists and scalars replace the base's"
            + " value. A null value resets a key to its default, including one the base set.";

    /** A loaded recipe with where each value came from, and warnings that do not stop a run. */
    record Loaded(Recipe recipe, Map<String, Origin> origins, List<String> warnings) {}

    private RecipeLoader() {}

    static Loaded load(Path file, List<String> overrides) {
        String display = file.toString();
        MapNode tree = readChain(file, null, new ArrayList<>());
        Problems problems = new Problems(display);
        for (String override : overrides) tree = applyOverride(tree, override, problems);
        problems.throwIfAny();

        Binder binder = new Binder(problems, Origin.defaultOf(display));
        Recipe recipe = binder.bindRoot(Recipe.class, tree, Origin.at(display, 1));
        problems.throwIfAny();
        recipe = resolveAcrossSections(recipe, file);

        Map<String, Origin> origins = Map.copyOf(binder.origins());
        RecipeRules.check(recipe, origins, problems, Origin.defaultOf(display));
        problems.throwIfAny();
        return new Loaded(recipe, origins, inactiveSectionWarnings(recipe, binder.origins()));
    }

    /** Defaults that depend on another section or on the file name. */
    private static Recipe resolveAcrossSections(Recipe r, Path file) {
        if (r.runDir() == null) {
            String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            r = Schema.with(r, "runDir", "runs/" + name);
        }
        if (r.grpo().miniBatch() == null) r = Schema.with(r, "grpo", Schema.with(r.grpo(), "miniBatch", r.schedule().globalBatch()));
        return r;
    }

    // ---- extends -------------------------------------------------------------------------------

    /**
     * Reads {@code file} merged over the chain of bases it extends. {@code display} is the file as
     * the user would name it (relative paths stay relative); {@code via} is the extends key that
     * named it (null for the recipe itself); {@code chain} holds the files being read, to find cycles.
     */
    private static MapNode readChain(Path display, Entry via, List<Path> chain) {
        Path real = display.toAbsolutePath().normalize();
        String text;
        try {
            text = rift.io.TextFiles.readUtf8(real, "recipe");
        } catch (NoSuchFileException e) {
            if (via == null) throw new RiftException(display + ": recipe file not found (looked for " + real + ")");
            throw new RiftException(via.keyOrigin().where() + ": extends: base recipe '" + display + "' not found (looked for "
                    + real + "); the path is relative to the folder of the file that extends it");
        }
        chain.add(real);
        MapNode tree = YamlReader.readFile(text, display.toString());
        Entry ext = tree.get(EXTENDS);
        if (ext == null || YamlNode.isNull(ext.value())) return without(tree, EXTENDS);
        if (!(ext.value() instanceof ScalarNode s) || s.kind() != ScalarNode.Kind.STRING) {
            throw new RiftException(ext.keyOrigin().where() + ": extends: expected the path of a base recipe"
                    + " (a string), got " + YamlNode.describe(ext.value()));
        }
        Path base = display.resolveSibling(s.text()).normalize();
        if (chain.contains(base.toAbsolutePath().normalize())) {
            StringBuilder cycle = new StringBuilder();
            int start = chain.indexOf(base.toAbsolutePath().normalize());
            for (Path p : chain.subList(start, chain.size())) cycle.append(p.getFileName()).append(" -> ");
            throw new RiftException(ext.keyOrigin().where() + ": extends: cycle " + cycle + base.getFileName()
                    + "; a recipe cannot extend itself through its bases: remove one of these extends");
        }
        return merge(readChain(base, ext, chain), without(tree, EXTENDS));
    }

    /**
     * {@code top} deep-merged over {@code base}: mappings merge key by key (the base's order first),
     * anything else in {@code top} replaces the base's value.
     */
    static MapNode merge(MapNode base, MapNode top) {
        Map<String, Entry> out = new LinkedHashMap<>(base.entries());
        for (var e : top.entries().entrySet()) {
            Entry below = out.get(e.getKey());
            if (below != null && below.value() instanceof MapNode b && e.getValue().value() instanceof MapNode t) {
                out.put(e.getKey(), new Entry(e.getValue().keyOrigin(), merge(b, t)));
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return new MapNode(top.origin(), out);
    }

    private static MapNode without(MapNode map, String key) {
        Map<String, Entry> out = new LinkedHashMap<>(map.entries());
        out.remove(key);
        return new MapNode(map.origin(), out);
    }

    // ---- overrides -----------------------------------------------------------------------------

    /**
     * Applies one {@code key.path=value} argument (the value is read as YAML: {@code 6}, {@code 1e-6},
     * {@code [a.jsonl, b.jsonl]}, {@code null}) by merging it over the tree, after checking that the
     * key exists in the schema so a typo names the closest valid key.
     */
    static MapNode applyOverride(MapNode tree, String argument, Problems problems) {
        Origin origin = Origin.override(argument);
        int eq = argument.indexOf('=');
        String path = eq < 0 ? "" : argument.substring(0, eq).strip();
        if (eq < 0 || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            problems.add(origin, "", "expected key.path=value, e.g. schedule.max_steps=6 or data.train=[a.jsonl,b.jsonl]");
            return tree;
        }
        String[] parts = path.split("\\.");
        if (parts[0].equals(EXTENDS)) {
            problems.add(origin, EXTENDS, "extends cannot be overridden; write a recipe file that extends the one you want");
            return tree;
        }
        if (!checkPath(parts, origin, problems)) return tree;
        YamlNode value;
        try {
            value = YamlReader.readValue(argument.substring(eq + 1), origin);
        } catch (RiftException e) {
            String prefix = origin.where() + ": ";
            String message = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            problems.add(origin, path, message + "; quote the value for the shell, e.g. " + path + "='[a, b]'");
            return tree;
        }
        for (int i = parts.length - 1; i >= 0; i--) value = new MapNode(origin, Map.of(parts[i], new Entry(origin, value)));
        return merge(tree, (MapNode) value);
    }

    /** Whether the dotted key names something a recipe has; if not, records why. */
    private static boolean checkPath(String[] parts, Origin origin, Problems problems) {
        Type type = Recipe.class;
        String section = "";
        for (String part : parts) {
            Class<?> raw = Schema.raw(type);
            String here = section.isEmpty() ? part : section + "." + part;
            if (raw.isRecord()) {
                RecordComponent found = null;
                List<String> keys = new ArrayList<>();
                for (RecordComponent c : raw.getRecordComponents()) {
                    keys.add(Schema.key(c));
                    if (Schema.key(c).equals(part)) found = c;
                }
                if (found == null) {
                    problems.add(origin, here, "unknown key; " + Schema.suggest(section, part, keys));
                    return false;
                }
                type = found.getGenericType();
            } else if (raw == Map.class) {
                type = Schema.typeArg(type, 1);
            } else if (raw == List.class) {
                problems.add(origin, here, section + " is a list, and lists are replaced whole: write "
                        + section + "=[...] (e.g. " + section + "='[{name: correctness}]')");
                return false;
            } else {
                problems.add(origin, here, section + " is " + Schema.typeName(type) + " and has no key '" + part + "'");
                return false;
            }
            section = here;
        }
        return true;
    }

    // ---- warnings ------------------------------------------------------------------------------

    /** Keys set in the section of the method not in use: allowed (a base may serve both), but likely a slip. */
    private static List<String> inactiveSectionWarnings(Recipe recipe, Map<String, Origin> origins) {
        String inactive = recipe.isGrpo() ? "sft." : "grpo.";
        List<String> out = new ArrayList<>();
        for (var e : origins.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(inactive) || key.indexOf('.', inactive.length()) >= 0 || key.indexOf('[') >= 0) continue;
            if (e.getValue().isDefault()) continue;
            out.add(e.getValue().where() + ": " + key + " is set but method is " + Schema.enumName(recipe.method())
                    + ", so the " + inactive.substring(0, inactive.length() - 1) + " section is ignored");
        }
        return out;
    }
}
