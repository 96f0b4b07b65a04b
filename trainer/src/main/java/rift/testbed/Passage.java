package rift.testbed;

import java.util.ArrayList;
import java.util.List;
import rift.util.Rng;

/**
 * A short fact passage shared by the extraction and judging families: 2-3 people, each with a thing
 * of a distinct color kept in a distinct place, and one person's count of an object.
 * "Ann has a red kite. The kite is in the shed. Ben has a blue ball. The ball is in the car. Ben also has 4 cups."
 */
record Passage(List<String> people, List<String> colors, List<String> things, List<String> places,
               int counter, String object, int count, String text) {

    static Passage draw(Rng rng) {
        int k = Words.between(rng, 2, 3);
        List<String> people = Words.distinct(rng, Words.NAMES, k);
        List<String> colors = Words.distinct(rng, Words.COLORS, k);
        List<String> things = Words.distinct(rng, Words.THINGS, k);
        List<String> places = Words.distinct(rng, Words.PLACES, k);
        int counter = rng.nextInt(k);
        String object = Words.pick(rng, Words.OBJECTS);
        int count = Words.between(rng, 2, 9);
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            sentences.add(people.get(i) + " has a " + colors.get(i) + " " + things.get(i) + ".");
            sentences.add("The " + things.get(i) + " is in the " + places.get(i) + ".");
        }
        sentences.add(people.get(counter) + " also has " + count + " " + object + ".");
        return new Passage(people, colors, things, places, counter, object, count, String.join(" ", sentences));
    }

    int size() {
        return people.size();
    }
}
