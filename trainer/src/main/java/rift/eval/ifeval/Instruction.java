package rift.eval.ifeval;

/**
 * One verifiable IFEval instruction with its kwargs bound, e.g. "answer in fewer than 50 words". Each
 * implementation follows Google's reference {@code check_following} (google-research
 * instruction_following_eval/instructions.py); where Python libraries could not be matched exactly
 * (NLTK Punkt, NLTK word_tokenize, langdetect) the class says how it approximates them.
 */
public interface Instruction {
    /** The instruction id, e.g. {@code punctuation:no_comma}. */
    String id();

    /** Whether {@code response} follows the instruction (the reference's {@code check_following}). */
    boolean isFollowed(String response);
}
