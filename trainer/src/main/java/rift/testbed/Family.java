package rift.testbed;

import java.util.List;
import rift.util.Rng;

/**
 * The testbed's task families. {@link #MATH} is the training domain; the others are never trained on
 * after pretraining and measure transfer (other reasoning) and forgetting (non-reasoning).
 */
public enum Family {
    /** Multi-step arithmetic word problems, levels 1-4, with a teacher trace. */
    MATH("math", Group.MATH, new MathTask()),
    /** Sort a short list, or pick its largest or smallest number. */
    SORT("sort", Group.OTHER, new SortTask()),
    /** What a tiny straight-line or branching program prints. */
    PROGRAM("program", Group.OTHER, new ProgramTask()),
    /** Fewest moves on a number line, or a shortest move list on a small grid. */
    PLAN("plan", Group.OTHER, new PlanTask()),
    /** Multiple choice (A-D) about orderings and counts stated in a short passage. */
    CHOICE("choice", Group.OTHER, new ChoiceTask()),
    /** Write a sentence obeying machine-checkable rules (IFEval-like). */
    INSTRUCT("instruct", Group.NON, new InstructTask()),
    /** Answer a question with one word copied from a short passage (CoQA-like). */
    EXTRACT("extract", Group.NON, new ExtractTask()),
    /** Say whether a statement agrees with a short passage, yes or no (HaluEval-like). */
    JUDGE("judge", Group.NON, new JudgeTask());

    private final String key;
    private final Group group;
    private final Task task;

    Family(String key, Group group, Task task) {
        this.key = key;
        this.group = group;
        this.task = task;
    }

    /** The family's name in files and ids: {@code math}, {@code sort}, ... */
    public String key() {
        return key;
    }

    public Group group() {
        return group;
    }

    public List<String> variants() {
        return task.variants();
    }

    /**
     * Item {@code index} of the stream for {@code seed}: the same (seed, index) gives the same item on
     * every JDK, independent of how many other items are drawn. Variants cycle with the index.
     */
    public Item generate(long seed, long index) {
        if (index < 0) throw new IllegalArgumentException("index must be >= 0");
        Rng rng = Rng.derive(seed, key.hashCode(), index);
        int variant = (int) (index % task.variants().size());
        return task.generate(rng, key + "-" + index, variant);
    }

    /** Whether {@code response} is a correct answer to {@code item} (which must be of this family). */
    public boolean check(Item item, String response) {
        if (item.family() != this) throw new IllegalArgumentException("item " + item.id() + " is " + item.family().key() + ", not " + key);
        return response != null && task.check(item, response);
    }

    /** The bare answer a pretraining document puts after the prompt. */
    public String directAnswer(Item item) {
        return task.directAnswer(item);
    }

    /** The family named {@code key}, or null. */
    public static Family byKey(String key) {
        for (Family f : values()) if (f.key.equals(key)) return f;
        return null;
    }
}
