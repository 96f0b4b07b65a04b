package rift.testbed;

import java.util.List;
import rift.util.Rng;

/** A task family's generator and checker. Implementations are stateless. */
interface Task {

    /** The variants this family covers; item {@code i} gets variant {@code i mod variants().size()}. */
    List<String> variants();

    /** A fresh item of the given variant, drawing every choice from {@code rng}. */
    Item generate(Rng rng, String id, int variant);

    /** Whether {@code response} answers {@code item} correctly (format as the prompt asks). */
    boolean check(Item item, String response);

    /**
     * The completion a pretraining document shows after the prompt: the bare answer in the format the
     * prompt asks for, no reasoning.
     */
    String directAnswer(Item item);
}
