package rift.report;

/**
 * One arm of the experiment, as the report names it.
 *
 * @param name        the arm's name, used in every other record ({@code base}, {@code sft}, {@code grpo}); unique
 * @param kind        base, SFT or RL: the direction check compares RL arms with SFT arms
 * @param description one line shown in the runs table (e.g. the recipe section it came from); may be empty
 */
public record ArmResult(String name, ArmKind kind, String description) {
    public ArmResult {
        if (description == null) description = "";
    }
}
