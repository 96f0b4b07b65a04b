package rift.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import rift.kernels.RiftException;

/**
 * Scores responses against IFEval records, strict and loose, as Google's evaluation_lib does.
 *
 * <p><b>Strict</b>: an instruction is followed when the response is not blank and its checker accepts it.
 * <b>Loose</b>: followed when the checker accepts any non-blank one of eight variants: the response, the
 * response with every '*' removed, the response without its first line, without its last line, without
 * both (each stripped), and those three with '*' removed. Prompt-level accuracy counts prompts whose every
 * instruction is followed; instruction-level accuracy counts instructions (the paper reports strict
 * instruction-level accuracy).
 */
public final class IfEvalScorer {
    private IfEvalScorer() {}

    /** One instruction's verdicts. */
    public record InstructionScore(String id, boolean strict, boolean loose) {}

    /** All instructions of one prompt. */
    public record PromptScore(int key, List<InstructionScore> instructions) {
        public PromptScore {
            instructions = List.copyOf(instructions);
        }

        public boolean strictAll() {
            return instructions.stream().allMatch(InstructionScore::strict);
        }

        public boolean looseAll() {
            return instructions.stream().allMatch(InstructionScore::loose);
        }
    }

    /**
     * Accuracies over a set of prompts, as fractions in [0, 1].
     *
     * @param perInstruction id -> {strict, loose} accuracy over that id's occurrences
     * @param perCategory    category (the id's part before ':') -> {strict, loose} accuracy
     */
    public record Accuracy(int prompts, int instructions, double promptStrict, double instructionStrict,
                           double promptLoose, double instructionLoose, Map<String, double[]> perInstruction,
                           Map<String, double[]> perCategory) {}

    public static PromptScore score(IfEvalRecord record, String response) {
        if (response == null) throw new IllegalArgumentException("response is null for key " + record.key());
        List<String> variants = looseVariants(response);
        boolean nonBlank = !PyText.strip(response).isEmpty();
        List<InstructionScore> out = new ArrayList<>();
        for (Instruction ins : record.instructions()) {
            boolean strict = nonBlank && ins.isFollowed(response);
            boolean loose = strict;
            for (int i = 1; i < variants.size() && !loose; i++) {
                String v = variants.get(i);
                loose = !PyText.strip(v).isEmpty() && ins.isFollowed(v);
            }
            out.add(new InstructionScore(ins.id(), strict, loose));
        }
        return new PromptScore(record.key(), out);
    }

    /** The eight responses loose evaluation tries, in the reference's order (the first is the response itself). */
    static List<String> looseVariants(String response) {
        List<String> lines = PyText.splitLiteral(response, "\n");
        String removeFirst = PyText.strip(String.join("\n", lines.subList(1, lines.size())));
        String removeLast = PyText.strip(String.join("\n", lines.subList(0, lines.size() - 1)));
        String removeBoth = lines.size() >= 2 ? PyText.strip(String.join("\n", lines.subList(1, lines.size() - 1))) : "";
        return List.of(response, response.replace("*", ""), removeFirst, removeLast, removeBoth,
                removeFirst.replace("*", ""), removeLast.replace("*", ""), removeBoth.replace("*", ""));
    }

    /** Scores every record whose key has a response; a record without one is an error naming the key. */
    public static List<PromptScore> scoreAll(List<IfEvalRecord> records, Map<Integer, String> responseByKey) {
        List<PromptScore> out = new ArrayList<>();
        for (IfEvalRecord r : records) {
            String resp = responseByKey.get(r.key());
            if (resp == null) {
                throw new RiftException("no response for IFEval key " + r.key() + "; give one response per prompt");
            }
            out.add(score(r, resp));
        }
        return out;
    }

    public static Accuracy aggregate(List<PromptScore> scores) {
        if (scores.isEmpty()) throw new RiftException("no IFEval prompts were scored; accuracy is undefined");
        int prompts = scores.size();
        int promptStrict = 0;
        int promptLoose = 0;
        int instructions = 0;
        int insStrict = 0;
        int insLoose = 0;
        Map<String, int[]> byId = new TreeMap<>();
        Map<String, int[]> byCategory = new TreeMap<>();
        for (PromptScore p : scores) {
            if (p.strictAll()) promptStrict++;
            if (p.looseAll()) promptLoose++;
            for (InstructionScore s : p.instructions()) {
                instructions++;
                if (s.strict()) insStrict++;
                if (s.loose()) insLoose++;
                tally(byId.computeIfAbsent(s.id(), k -> new int[3]), s);
                tally(byCategory.computeIfAbsent(s.id().split(":")[0], k -> new int[3]), s);
            }
        }
        return new Accuracy(prompts, instructions, (double) promptStrict / prompts, (double) insStrict / instructions,
                (double) promptLoose / prompts, (double) insLoose / instructions, fractions(byId), fractions(byCategory));
    }

    private static void tally(int[] t, InstructionScore s) {
        t[0]++;
        if (s.strict()) t[1]++;
        if (s.loose()) t[2]++;
    }

    private static Map<String, double[]> fractions(Map<String, int[]> counts) {
        Map<String, double[]> out = new TreeMap<>();
        counts.forEach((k, t) -> out.put(k, new double[] {(double) t[1] / t[0], (double) t[2] / t[0]}));
        return out;
    }
}
