package rift.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import rift.eval.SuiteYaml.ListNode;
import rift.eval.SuiteYaml.MapNode;
import rift.eval.SuiteYaml.Node;
import rift.eval.SuiteYaml.Scalar;
import rift.eval.ti.BenchmarkGroup;
import rift.kernels.RiftException;
import rift.tokenizer.PromptTemplate;
import rift.verify.VerifyMode;

/**
 * Reads suite files (format: docs/eval-suites.md). Every error names the file, the line and the key
 * path, and says how to fix it. Relative data paths resolve against the data root: the suite's
 * {@code data_root} (itself relative to the rift home), overridable by the caller, else the rift home.
 */
public final class SuiteLoader {
    private SuiteLoader() {}

    static final Set<String> SUITE_KEYS = Set.of("name", "description", "data_root", "defaults", "benchmarks");
    static final Set<String> BENCHMARK_KEYS = Set.of("id", "group", "data", "fields", "prompt", "scorer", "decoding", "chat",
            "empty_think", "system", "choice_format", "stop", "limit");
    static final Set<String> FIELD_KEYS = Set.of("id", "reference", "choices", "gold");
    static final Set<String> DECODING_KEYS = Set.of("temperature", "top_p", "max_new_tokens", "samples");
    /** Per scorer type, its option keys (besides "type"). */
    static final Map<String, Set<String>> SCORER_KEYS = Map.of(
            "boxed_math", Set.of("mode"),
            "letter_choice", Set.of("letters"),
            "loglik_choice", Set.of("metric", "continuation"),
            "exact_match", Set.of("metric", "first_line"),
            "yes_no", Set.of(),
            "ifeval", Set.of("metric"),
            "testbed", Set.of());

    /**
     * The suite named {@code nameOrPath}: an existing file, else {@code recipes/suites/NAME.yaml} under
     * the rift home.
     */
    public static Path locate(String nameOrPath, Path home) {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) return p;
        Path dir = home.resolve("recipes").resolve("suites");
        if (nameOrPath.matches("[A-Za-z0-9_.-]+")) {
            Path named = dir.resolve(nameOrPath.endsWith(".yaml") ? nameOrPath : nameOrPath + ".yaml");
            if (Files.isRegularFile(named)) return named;
        }
        List<String> known = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml")).sorted()
                        .forEach(f -> known.add(f.substring(0, f.length() - 5)));
            } catch (IOException ignored) {
                // the message below still names the folder
            }
        }
        throw new RiftException("--suite " + nameOrPath + ": no such file, and no suite of that name in " + dir
                + " (there: " + (known.isEmpty() ? "none" : String.join(", ", known)) + "); give a suite file path or one of those names");
    }

    /** Reads a suite file. {@code dataRootOverride} (may be null) replaces the suite's data_root. */
    public static Suite load(Path file, Path home, Path dataRootOverride) {
        String text;
        try {
            text = rift.io.TextFiles.readUtf8(file, "suite file");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new RiftException("suite file " + file + " does not exist; give a suite file path or the name of one in recipes/suites", e);
        }
        return parse(text, file, home, dataRootOverride);
    }

    /** Parses suite text; {@code file} names it in errors and gives the default suite name. */
    public static Suite parse(String text, Path file, Path home, Path dataRootOverride) {
        String fileName = file.toString();
        MapNode root = SuiteYaml.read(text, fileName);
        checkKeys(root, SUITE_KEYS, "a suite");
        String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String name = optString(root, "name", stem);
        String description = optString(root, "description", "");
        Path dataRoot = home;
        if (root.entries().containsKey("data_root")) dataRoot = home.resolve(string(root.entries().get("data_root"))).normalize();
        if (dataRootOverride != null) dataRoot = dataRootOverride.toAbsolutePath().normalize();

        MapNode defaults = null;
        if (root.entries().containsKey("defaults")) {
            defaults = map(root.entries().get("defaults"));
            checkKeys(defaults, BENCHMARK_KEYS, "defaults (benchmark keys)");
            if (defaults.entries().containsKey("id")) {
                throw new RiftException(defaults.entries().get("id").where() + ": an id cannot be a default; give each benchmark its own id");
            }
        }
        Node list = root.entries().get("benchmarks");
        if (list == null) throw new RiftException(fileName + ": the suite has no benchmarks: list; add one entry per benchmark (see docs/eval-suites.md)");
        if (!(list instanceof ListNode benchmarks) || benchmarks.items().isEmpty()) {
            throw new RiftException(list.where() + ": benchmarks must be a non-empty list of mappings, got " + SuiteYaml.describe(list));
        }
        List<Benchmark> out = new ArrayList<>();
        Map<String, Node> seen = new HashMap<>();
        for (Node b : benchmarks.items()) {
            MapNode bm = map(b);
            checkKeys(bm, BENCHMARK_KEYS, "a benchmark");
            Benchmark bench = benchmark(merge(defaults, bm), bm, dataRoot);
            Node prev = seen.putIfAbsent(bench.id(), bm);
            if (prev != null) throw new RiftException(bm.where() + ": benchmark id " + bench.id() + " is used twice (first at line " + prev.line() + "); ids must be unique");
            out.add(bench);
        }
        return new Suite(name, description, file, dataRoot, out);
    }

    /** Benchmark keys over default keys; fields and decoding merge key by key, everything else is replaced. */
    private static Map<String, Node> merge(MapNode defaults, MapNode bench) {
        Map<String, Node> m = new LinkedHashMap<>();
        if (defaults != null) m.putAll(defaults.entries());
        for (var e : bench.entries().entrySet()) {
            Node d = m.get(e.getKey());
            if ((e.getKey().equals("fields") || e.getKey().equals("decoding")) && d instanceof MapNode dm && e.getValue() instanceof MapNode bmn) {
                Map<String, Node> sub = new LinkedHashMap<>(dm.entries());
                sub.putAll(bmn.entries());
                Map<String, Integer> lines = new LinkedHashMap<>(dm.keyLines());
                lines.putAll(bmn.keyLines());
                m.put(e.getKey(), new MapNode(bmn.file(), bmn.line(), bmn.path(), sub, lines));
            } else {
                m.put(e.getKey(), e.getValue());
            }
        }
        return m;
    }

    private static Benchmark benchmark(Map<String, Node> k, MapNode at, Path dataRoot) {
        String id = required(k, "id", at);
        if (!id.matches("[A-Za-z0-9._-]+")) {
            throw new RiftException(k.get("id").where() + ": id \"" + id + "\" may only use letters, digits, '.', '_' and '-' (it names output files)");
        }
        String groupText = required(k, "group", at);
        BenchmarkGroup group = BenchmarkGroup.parseOrNull(groupText);
        if (group == null) throw new RiftException(k.get("group").where() + ": group \"" + groupText + "\" is not math, other or non");
        String data = required(k, "data", at);
        Path dataFile = dataRoot.resolve(data).normalize();

        FieldMap fields = FieldMap.NONE;
        if (k.containsKey("fields")) {
            MapNode f = map(k.get("fields"));
            checkKeys(f, FIELD_KEYS, "fields");
            fields = new FieldMap(path(f, "id"), path(f, "reference"), path(f, "choices"), path(f, "gold"));
        }
        Scorer scorer = scorer(k.get("scorer"), at);
        for (String need : scorer.requiredFields()) {
            FieldPath p = switch (need) {
                case "reference" -> fields.reference();
                case "choices" -> fields.choices();
                case "gold" -> fields.gold();
                default -> throw new IllegalStateException(need);
            };
            if (p == null) {
                Node where = k.containsKey("fields") ? k.get("fields") : at;
                throw new RiftException(where.where() + ": scorer " + scorer.type() + " needs fields." + need
                        + " (the record field holding the " + need + "); add it under fields:");
            }
        }
        Decoding dec = decoding(k.get("decoding"));
        String promptText = k.containsKey("prompt") ? string(k.get("prompt")) : "{prompt}";
        String promptWhere = k.containsKey("prompt") ? k.get("prompt").where() : at.where() + ", key prompt (default)";
        PromptTemplate prompt = PromptTemplate.parse(promptText, promptWhere);
        boolean chat = k.containsKey("chat") && bool(k.get("chat"));
        boolean emptyThink = !k.containsKey("empty_think") || bool(k.get("empty_think"));
        String system = k.containsKey("system") ? string(k.get("system")) : null;
        String choiceFormat = k.containsKey("choice_format") ? string(k.get("choice_format")) : "{letter}. {choice}";
        PromptTemplate.parse(choiceFormat, k.containsKey("choice_format") ? k.get("choice_format").where() : "choice_format");
        List<String> stop = new ArrayList<>();
        if (k.containsKey("stop")) {
            Node s = k.get("stop");
            if (s instanceof ListNode l) {
                for (Node x : l.items()) stop.add(nonEmpty(x));
            } else {
                stop.add(nonEmpty(s));
            }
        }
        Integer limit = k.containsKey("limit") ? positiveInt(k.get("limit")) : null;
        return new Benchmark(id, group, data, dataFile, fields, scorer, dec, prompt, chat, emptyThink, system, choiceFormat, stop, limit,
                at.where());
    }

    private static Scorer scorer(Node n, MapNode at) {
        if (n == null) throw new RiftException(at.where() + ": the benchmark has no scorer; add scorer: with one of " + new TreeSet<>(SCORER_KEYS.keySet()));
        String type;
        Map<String, Node> opts = Map.of();
        if (n instanceof MapNode m) {
            Node t = m.entries().get("type");
            if (t == null) throw new RiftException(m.where() + ": scorer has no type; add type: with one of " + new TreeSet<>(SCORER_KEYS.keySet()));
            type = string(t);
            opts = m.entries();
        } else {
            type = string(n);
        }
        Set<String> allowed = SCORER_KEYS.get(type);
        if (allowed == null) {
            throw new RiftException(n.where() + ": unknown scorer type \"" + type + "\"; use one of " + new TreeSet<>(SCORER_KEYS.keySet()));
        }
        for (var e : opts.entrySet()) {
            if (!e.getKey().equals("type") && !allowed.contains(e.getKey())) {
                throw new RiftException(e.getValue().where() + ": scorer " + type + " has no option '" + e.getKey() + "'"
                        + (allowed.isEmpty() ? " (it takes none)" : "; its options are " + new TreeSet<>(allowed)));
            }
        }
        Map<String, Node> o = opts;
        return switch (type) {
            case "boxed_math" -> new BoxedMathScorer(o.containsKey("mode") ? VerifyMode.parse(string(o.get("mode")), o.get("mode").where()) : VerifyMode.MATH);
            case "letter_choice" -> {
                String letters = o.containsKey("letters") ? string(o.get("letters")) : null;
                if (letters != null && !letters.matches("[A-Z]{2,26}")) {
                    throw new RiftException(o.get("letters").where() + ": letters must be 2 to 26 capital letters, e.g. ABCD");
                }
                yield new LetterChoiceScorer(letters);
            }
            case "loglik_choice" -> {
                ChoiceLoglikScorer.Metric metric = o.containsKey("metric") ? oneOf(o.get("metric"), ChoiceLoglikScorer.Metric.class) : ChoiceLoglikScorer.Metric.ACC;
                String cont = o.containsKey("continuation") ? string(o.get("continuation")) : " {choice}";
                PromptTemplate t = PromptTemplate.parse(cont, o.containsKey("continuation") ? o.get("continuation").where() : "continuation");
                for (String f : t.fields()) {
                    if (!f.equals("choice") && !f.equals("letter")) {
                        throw new RiftException(o.get("continuation").where() + ": continuation may use {choice} and {letter} only, not {" + f + "}");
                    }
                }
                yield new ChoiceLoglikScorer(metric, t);
            }
            case "exact_match" -> new ExactMatchScorer(o.containsKey("metric") ? oneOf(o.get("metric"), ExactMatchScorer.Metric.class) : ExactMatchScorer.Metric.F1,
                    !o.containsKey("first_line") || bool(o.get("first_line")));
            case "yes_no" -> new YesNoScorer();
            case "ifeval" -> new IfEvalBenchScorer(o.containsKey("metric") ? oneOf(o.get("metric"), IfEvalBenchScorer.Metric.class)
                    : IfEvalBenchScorer.Metric.INSTRUCTION_STRICT);
            case "testbed" -> new TestbedScorer();
            default -> throw new IllegalStateException(type);
        };
    }

    private static Decoding decoding(Node n) {
        Decoding d = Decoding.GREEDY_DEFAULT;
        if (n == null) return d;
        MapNode m = map(n);
        checkKeys(m, DECODING_KEYS, "decoding");
        Map<String, Node> e = m.entries();
        double t = e.containsKey("temperature") ? number(e.get("temperature")) : d.temperature();
        if (!(t >= 0) || t > 100) throw new RiftException(e.get("temperature").where() + ": temperature must be in [0, 100] (0 = greedy), got " + t);
        double p = e.containsKey("top_p") ? number(e.get("top_p")) : d.topP();
        if (!(p > 0 && p <= 1)) throw new RiftException(e.get("top_p").where() + ": top_p must be in (0, 1] (1 = off), got " + p);
        int max = e.containsKey("max_new_tokens") ? positiveInt(e.get("max_new_tokens")) : d.maxNewTokens();
        int k = e.containsKey("samples") ? positiveInt(e.get("samples")) : d.samples();
        return new Decoding(t, p, max, k);
    }

    private static void checkKeys(MapNode m, Set<String> allowed, String what) {
        for (var e : m.entries().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new RiftException(m.keyWhere(e.getKey()) + ": unknown key '" + e.getKey() + "' in " + what
                        + "; the keys are " + new TreeSet<>(allowed) + " (see docs/eval-suites.md)");
            }
        }
    }

    private static MapNode map(Node n) {
        if (n instanceof MapNode m) return m;
        throw new RiftException(n.where() + ": expected a mapping (key: value lines), got " + SuiteYaml.describe(n));
    }

    private static String string(Node n) {
        if (n instanceof Scalar s && s.value() instanceof String str) return str;
        throw new RiftException(n.where() + ": expected a string, got " + SuiteYaml.describe(n) + "; quote it if YAML read it as something else");
    }

    private static String nonEmpty(Node n) {
        String s = string(n);
        if (s.isEmpty()) throw new RiftException(n.where() + ": a stop string must not be empty");
        return s;
    }

    private static String optString(MapNode m, String key, String dflt) {
        return m.entries().containsKey(key) ? string(m.entries().get(key)) : dflt;
    }

    private static String required(Map<String, Node> k, String key, MapNode at) {
        if (!k.containsKey(key)) throw new RiftException(at.where() + ": the benchmark has no " + key + "; add " + key + ": (see docs/eval-suites.md)");
        return string(k.get(key));
    }

    private static boolean bool(Node n) {
        if (n instanceof Scalar s && s.value() instanceof Boolean b) return b;
        throw new RiftException(n.where() + ": expected true or false, got " + SuiteYaml.describe(n));
    }

    private static double number(Node n) {
        if (n instanceof Scalar s && s.value() instanceof Number x) return x.doubleValue();
        throw new RiftException(n.where() + ": expected a number, got " + SuiteYaml.describe(n));
    }

    private static int positiveInt(Node n) {
        if (n instanceof Scalar s && s.value() instanceof Long x && x >= 1 && x <= Integer.MAX_VALUE) return x.intValue();
        throw new RiftException(n.where() + ": expected a whole number >= 1, got " + SuiteYaml.describe(n));
    }

    private static FieldPath path(MapNode m, String key) {
        Node n = m.entries().get(key);
        return n == null ? null : FieldPath.parse(string(n), n.where());
    }

    private static <E extends Enum<E>> E oneOf(Node n, Class<E> type) {
        String s = string(n);
        for (E e : type.getEnumConstants()) if (e.name().toLowerCase(Locale.ROOT).equals(s)) return e;
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT));
        throw new RiftException(n.where() + ": \"" + s + "\" is not one of " + names);
    }
}
