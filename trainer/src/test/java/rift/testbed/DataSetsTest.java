package rift.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractSet;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import rift.kernels.RiftException;

class DataSetsTest {

    @Test
    void pretrainingMixesAllFamiliesRoundRobinWithDirectAnswers() {
        List<Item> items = PretrainCorpus.items(7, 800);
        List<String> docs = PretrainCorpus.documents(7, 800);
        Map<Family, Integer> count = new EnumMap<>(Family.class);
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            assertEquals(PretrainCorpus.MIX.get(i % PretrainCorpus.MIX.size()), it.family());
            assertEquals(it.prompt() + it.family().directAnswer(it), docs.get(i));
            assertFalse(docs.get(i).contains("Not needed:") || docs.get(i).contains("After "), "no trace text: " + docs.get(i));
            assertTrue(it.family().check(it, docs.get(i).substring(it.prompt().length())));
            count.merge(it.family(), 1, Integer::sum);
        }
        for (Family f : Family.values()) assertEquals(100, count.get(f));
        assertEquals(Set.of(Group.MATH, Group.OTHER, Group.NON), Set.copyOf(items.stream().map(Item::group).toList()));
        // Items are a prefix-stable stream: a longer corpus starts with the shorter one.
        assertEquals(docs.subList(0, 100), PretrainCorpus.documents(7, 100));
    }

    @Test
    void sftAndRlShareTheMathProblems() {
        List<Item> math = TestbedSets.mathTrain(7, 50);
        for (int i = 0; i < 50; i++) {
            assertEquals(Family.MATH, math.get(i).family());
            assertEquals(math.get(i), TestbedSets.mathProblem(7, i));
        }
        // The math training stream is not the pretraining stream.
        Set<String> pre = new HashSet<>();
        for (Item it : PretrainCorpus.items(7, 400)) pre.add(it.prompt());
        assertTrue(math.stream().noneMatch(it -> pre.contains(it.prompt())));
    }

    @Test
    void evalSetsAreDisjointFromTrainingAndFromThemselves() {
        Set<String> training = TestbedSets.trainingPrompts(7, 4000, 500);
        int skipped = 0;
        for (Family f : Family.values()) {
            TestbedSets.EvalSet e = TestbedSets.eval(f, 7, 100, training);
            assertEquals(100, e.items().size());
            Set<String> prompts = new HashSet<>();
            for (Item it : e.items()) {
                assertFalse(training.contains(it.prompt()), it.id());
                assertTrue(prompts.add(it.prompt()), "repeated " + it.id());
                assertTrue(it.id().startsWith(f.key() + "-eval-"));
            }
            skipped += e.skippedTraining();
            assertEquals(e.items(), TestbedSets.eval(f, 7, 100, training).items(), "deterministic");
        }
        assertTrue(skipped > 0, "the dedup check was exercised");
    }

    @Test
    void evalFailsClearlyWhenTheItemSpaceIsExhausted() {
        Set<String> everything = new AbstractSet<>() {
            @Override
            public boolean contains(Object o) {
                return true;
            }

            @Override
            public Iterator<String> iterator() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int size() {
                return Integer.MAX_VALUE;
            }
        };
        RiftException e = assertThrows(RiftException.class, () -> TestbedSets.eval(Family.PLAN, 1, 3, everything));
        assertTrue(e.getMessage().contains("eval=N"), e.getMessage());
    }

    @Test
    void splitsHaveDistinctSeeds() {
        Set<Long> seeds = new HashSet<>();
        for (Split s : Split.values()) seeds.add(s.seed(0));
        assertEquals(Split.values().length, seeds.size());
        assertFalse(Split.PRETRAIN.seed(0) == Split.PRETRAIN.seed(1));
    }
}
