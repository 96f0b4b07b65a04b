package rift.eval;

/** A scorer that judges generated text: one response of one item at a time. Implementations are thread-safe. */
public non-sealed interface GenerationScorer extends Scorer {
    Judgement judge(EvalItem item, String response);
}
