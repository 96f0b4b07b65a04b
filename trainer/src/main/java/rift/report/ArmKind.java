package rift.report;

/** What an arm of the experiment is: the untouched base model, or one of the two ways it was post-trained. */
public enum ArmKind {
    /** The starting checkpoint every trained arm is compared with. */
    BASE("base"),
    /** Supervised fine-tuning on math (the paper's distillation arm). */
    SFT("SFT"),
    /** Reinforcement learning on math (GRPO here; the paper's RL arm). */
    RL("RL");

    private final String label;

    ArmKind(String label) {
        this.label = label;
    }

    /** How the report names this kind. */
    public String label() {
        return label;
    }
}
