package rift.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rift.kernels.RiftException;

/**
 * A controlled experiment in one file: a shared base model, any number of arms (each an ordinary
 * training recipe, e.g. sft and grpo) trained from that base with the same data and seeds, one
 * evaluation suite for the base and every arm, the Transferability Index, drift probes and a report.
 *
 * <pre>
 * name: quickstart
 * base:                      # the shared starting model
 *   path: checkpoints/testbed-base   # used when it holds config.json ...
 *   recipe: testbed/base.yaml        # ... else trained from this recipe first (and exported there)
 * arms:
 *   - {name: sft,  recipe: testbed/sft.yaml}
 *   - {name: grpo, recipe: testbed/grpo.yaml}
 * seeds: [1, 2, 3]           # every arm runs once per seed
 * arm_overrides: []          # key=value applied to every arm recipe, e.g. [schedule.max_steps=10]
 * eval:   {suite: testbed, limit: 100, max_new_tokens: 160}
 * probes: {suite: testbed, limit: 50, enabled: true}
 * ti:     {sigma: pooled}    # pooled | per-model
 * device: cpu                # where eval and probes run: cpu | cuda | cuda-bf16 | auto (arms train where their recipe says)
 * run_dir: runs/quickstart
 * </pre>
 * Recipe paths are relative to this file; every other path to the working directory.
 */
public record ExperimentSpec(Path file, String name, Path basePath, Path baseRecipe, List<Arm> arms, List<Long> seeds,
                             List<String> armOverrides, String evalSuite, Integer evalLimit, Integer evalMaxNewTokens,
                             boolean probes, String probeSuite, Integer probeLimit, String tiSigma, String device, Path runDir,
                             String text) {

    /** The values of {@code device}. */
    static final List<String> DEVICES = List.of("cpu", "cuda", "cuda-bf16", "auto");

    public record Arm(String name, Path recipe) {}

    private static final Map<String, Set<String>> KEYS = Map.of(
            "", Set.of("name", "base", "arms", "seeds", "arm_overrides", "eval", "probes", "ti", "device", "run_dir"),
            "base", Set.of("path", "recipe"),
            "eval", Set.of("suite", "limit", "max_new_tokens"),
            "probes", Set.of("suite", "limit", "enabled"),
            "ti", Set.of("sigma"),
            "arms[]", Set.of("name", "recipe"));

    public static ExperimentSpec load(Path file, List<String> overrides) {
        if (!Files.isRegularFile(file)) throw new RiftException(file + ": no such experiment file");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try {
            root = yaml.readTree(file.toFile());
        } catch (IOException e) {
            throw new RiftException(file + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!(root instanceof ObjectNode obj)) throw new RiftException(file + ": an experiment file is a YAML mapping (name, base, arms, ...)");
        if (obj.has("method") && !obj.has("arms"))
            throw new RiftException(file + ": a training recipe (method: " + obj.get("method").asText() + "), not an experiment file: train it with"
                    + " `rift train " + file + "`, or name it as an arm of an experiment file (base, arms, seeds, eval: docs/experiments.md)");
        for (String o : overrides) applyOverride(obj, o, file, yaml);
        check(obj, "", file);
        Path dir = file.toAbsolutePath().getParent();
        String name = obj.path("name").asText(file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        JsonNode base = obj.path("base");
        if (!base.isObject() || (!base.has("path") && !base.has("recipe")))
            throw new RiftException(file + ": base: give path (an existing model directory) and/or recipe (to train the base)");
        check(base, "base", file);
        Path basePath = base.has("path") ? Path.of(base.get("path").asText()) : null;
        Path baseRecipe = base.has("recipe") ? dir.resolve(base.get("recipe").asText()).normalize() : null;
        JsonNode armsNode = obj.path("arms");
        if (!armsNode.isArray() || armsNode.isEmpty()) throw new RiftException(file + ": arms: list at least one {name, recipe}");
        List<Arm> arms = new ArrayList<>();
        for (JsonNode a : armsNode) {
            check(a, "arms[]", file);
            if (!a.has("name") || !a.has("recipe")) throw new RiftException(file + ": each arm needs name and recipe, got " + a);
            String n = a.get("name").asText();
            if (!n.matches("[A-Za-z0-9_.-]+")) throw new RiftException(file + ": arm name '" + n + "': use letters, digits, '_', '.', '-'");
            if (arms.stream().anyMatch(x -> x.name().equals(n))) throw new RiftException(file + ": arm name '" + n + "' appears twice");
            Path r = dir.resolve(a.get("recipe").asText()).normalize();
            if (!Files.isRegularFile(r)) throw new RiftException(file + ": arms." + n + ".recipe: " + r + " does not exist");
            arms.add(new Arm(n, r));
        }
        List<Long> seeds = new ArrayList<>();
        JsonNode s = obj.path("seeds");
        if (s.isMissingNode()) seeds.add(0L);
        else if (s.isArray() && !s.isEmpty()) for (JsonNode x : s) {
            if (!x.canConvertToLong()) throw new RiftException(file + ": seeds: integers expected, got " + x);
            seeds.add(x.asLong());
        }
        else throw new RiftException(file + ": seeds: a non-empty list of integers, e.g. [1, 2, 3]");
        List<String> armOverrides = new ArrayList<>();
        for (JsonNode x : obj.path("arm_overrides")) armOverrides.add(x.asText());
        JsonNode ev = obj.path("eval"), pr = obj.path("probes");
        check(ev, "eval", file);
        check(pr, "probes", file);
        check(obj.path("ti"), "ti", file);
        if (!ev.has("suite")) throw new RiftException(file + ": eval.suite is required (e.g. testbed or paper)");
        String sigma = obj.path("ti").path("sigma").asText("pooled");
        if (!sigma.equals("pooled") && !sigma.equals("per-model"))
            throw new RiftException(file + ": ti.sigma must be pooled or per-model, got '" + sigma + "'");
        String device = obj.path("device").asText("cpu");
        if (!DEVICES.contains(device))
            throw new RiftException(file + ": device must be one of " + String.join(", ", DEVICES) + " (where the evaluation and the probes run), got '"
                    + device + "'");
        String text;
        try {
            text = yaml.writeValueAsString(obj);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Integer evalLimit = positiveInt(ev, "eval.limit", file), evalMaxNew = positiveInt(ev, "eval.max_new_tokens", file);
        Integer probeLimit = positiveInt(pr, "probes.limit", file);
        if (pr.has("enabled") && !pr.get("enabled").isBoolean())
            throw new RiftException(file + ": probes.enabled must be true or false, got " + pr.get("enabled"));
        return new ExperimentSpec(file, name, basePath, baseRecipe, List.copyOf(arms), List.copyOf(seeds), List.copyOf(armOverrides),
                ev.get("suite").asText(), evalLimit, evalMaxNew, pr.path("enabled").asBoolean(pr.isObject()),
                pr.path("suite").asText(ev.get("suite").asText()), probeLimit, sigma, device,
                Path.of(obj.path("run_dir").asText("runs/" + name)), text);
    }

    /** The value of an optional whole-number key that must be >= 1 (e.g. eval.limit), or null when absent. */
    private static Integer positiveInt(JsonNode section, String dotted, Path file) {
        JsonNode n = section.get(dotted.substring(dotted.indexOf('.') + 1));
        if (n == null || n.isNull()) return null;
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1)
            throw new RiftException(file + ": " + dotted + " must be a whole number >= 1, got " + n + "; set it, e.g. " + dotted + ": 100,"
                    + " or leave it out for the default");
        return n.asInt();
    }

    /**
     * Refuses an experiment file where a training recipe is expected ({@code rift train}, {@code rift recipe}),
     * which would otherwise get one "unknown key" error per experiment key; anything else, unreadable YAML
     * included, is left to the recipe loader to report.
     */
    public static void refuseAsRecipe(Path file, String command) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (root instanceof ObjectNode obj && obj.has("arms") && !obj.has("method"))
            throw new RiftException(file + ": an experiment file (base, arms, seeds, eval), not a training recipe: run it with `rift experiment "
                    + file + "` (docs/experiments.md); `" + command + "` takes one arm's recipe, e.g. " + armExample(file, obj));
    }

    /** The first arm's recipe as a path from the working directory (arm recipes are relative to the experiment file). */
    private static String armExample(Path file, ObjectNode experiment) {
        Path dir = file.getParent() == null ? Path.of("") : file.getParent();
        for (JsonNode a : experiment.path("arms"))
            if (a.has("recipe")) return dir.resolve(a.get("recipe").asText()).normalize().toString();
        return "recipes/sft-gsm8k-tiny.yaml";
    }

    private static void check(JsonNode node, String section, Path file) {
        if (!node.isObject()) return;
        Set<String> known = KEYS.get(section);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                String where = section.isEmpty() ? k : section + "." + k;
                throw new RiftException(file + ": unknown key '" + where + "'" + closest(k, known) + "; valid keys here: " + known);
            }
        }
    }

    private static String closest(String k, Set<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : known) {
            int d = distance(k, c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best != null && bestD <= Math.max(2, k.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** key.path=value, the value read as YAML (so lists like seeds=[1] work). */
    private static void applyOverride(ObjectNode root, String o, Path file, ObjectMapper yaml) {
        int eq = o.indexOf('=');
        if (eq <= 0) throw new RiftException("override '" + o + "': write key.path=value, e.g. run_dir=runs/x or seeds=[1]");
        String[] path = o.substring(0, eq).split("\\.");
        JsonNode value;
        try {
            value = yaml.readTree(o.substring(eq + 1).isEmpty() ? "null" : o.substring(eq + 1));
        } catch (IOException e) {
            throw new RiftException("override '" + o + "': the value is not valid YAML");
        }
        ObjectNode at = root;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode next = at.get(path[i]);
            if (next == null) {
                next = at.putObject(path[i]);
            }
            if (!(next instanceof ObjectNode n)) throw new RiftException("override '" + o + "': " + path[i] + " is not a section of " + file);
            at = n;
        }
        at.set(path[path.length - 1], value == null || value.isMissingNode() ? null : value);
    }

    /** The arm recipes' own override list, for the given seed and run directory. */
    public List<String> armRecipeOverrides(Path baseModel, long seed, Path armRunDir) {
        List<String> o = new ArrayList<>(armOverrides);
        o.add("model.path=" + baseModel);
        o.add("seed=" + seed);
        o.add("run_dir=" + armRunDir);
        return o;
    }

}
