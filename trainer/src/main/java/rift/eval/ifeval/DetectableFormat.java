package rift.eval.ifeval;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code detectable_format:*} instructions. */
final class DetectableFormat {
    private DetectableFormat() {}

    /** Answer with one of "My answer is yes.", "My answer is no.", "My answer is maybe." (contained, after strip). */
    record ConstrainedResponse() implements Instruction {
        static final List<String> OPTIONS = List.of("My answer is yes.", "My answer is no.", "My answer is maybe.");

        static ConstrainedResponse of(Kwargs k) {
            k.only();
            return new ConstrainedResponse();
        }

        public String id() {
            return "detectable_format:constrained_response";
        }

        public boolean isFollowed(String response) {
            String v = PyText.strip(response);
            for (String o : OPTIONS) if (v.contains(o)) return true;
            return false;
        }
    }

    /**
     * The whole output is JSON, optionally in a markdown fence: strip, remove a leading ```json / ```Json /
     * ```JSON / ``` and a trailing ```, strip, then parse as Python's {@code json.loads} would (any JSON value
     * at top level, NaN and Infinity allowed, nothing after the value).
     */
    record JsonFormat() implements Instruction {
        private static final JsonMapper JSON = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();

        static JsonFormat of(Kwargs k) {
            k.only();
            return new JsonFormat();
        }

        public String id() {
            return "detectable_format:json_format";
        }

        public boolean isFollowed(String response) {
            String v = PyText.strip(response);
            for (String prefix : List.of("```json", "```Json", "```JSON", "```")) {
                if (v.startsWith(prefix)) v = v.substring(prefix.length());
            }
            if (v.endsWith("```")) v = v.substring(0, v.length() - 3);
            return isJson(PyText.strip(v));
        }

        static boolean isJson(String text) {
            try (JsonParser p = JSON.createParser(text)) {
                if (p.nextToken() == null) return false; // empty document
                p.skipChildren();
                return p.nextToken() == null; // trailing content is an error in json.loads
            } catch (IOException e) {
                return false;
            }
        }
    }

    /**
     * At least N sections, each started by the splitter word and a number: the count of matches of
     * {@code \s?SPLITTER\s?\d+\s?} (case-sensitive, splitter used as a regex).
     */
    record MultipleSections(String splitter, int numSections, Pattern pattern) implements Instruction {
        static MultipleSections of(Kwargs k) {
            k.only("section_spliter", "num_sections");
            String splitter = PyText.strip(k.string("section_spliter"));
            Pattern p = PyText.compile(PyText.S + "?" + splitter + PyText.S + "?\\d+" + PyText.S + "?");
            return new MultipleSections(splitter, k.integer("num_sections"), p);
        }

        public String id() {
            return "detectable_format:multiple_sections";
        }

        public boolean isFollowed(String response) {
            return PyText.countMatches(pattern, response) >= numSections;
        }
    }

    private static final Pattern STAR_BULLET = Pattern.compile("^" + PyText.S + "*\\*[^*].*$", PyText.PY_FLAGS | Pattern.MULTILINE);
    private static final Pattern DASH_BULLET = Pattern.compile("^" + PyText.S + "*-.*$", PyText.PY_FLAGS | Pattern.MULTILINE);

    /** Exactly N markdown bullets: lines matching {@code ^\s*\*[^\*].*$} plus lines matching {@code ^\s*-.*$}. */
    record NumberBulletLists(int numBullets) implements Instruction {
        static NumberBulletLists of(Kwargs k) {
            k.only("num_bullets");
            return new NumberBulletLists(k.integer("num_bullets"));
        }

        public String id() {
            return "detectable_format:number_bullet_lists";
        }

        public boolean isFollowed(String response) {
            return PyText.countMatches(STAR_BULLET, response) + PyText.countMatches(DASH_BULLET, response) == numBullets;
        }
    }

    private static final Pattern SINGLE_HIGHLIGHT = PyText.compile("\\*[^\\n*]*\\*");
    private static final Pattern DOUBLE_HIGHLIGHT = PyText.compile("\\*\\*[^\\n*]*\\*\\*");

    /**
     * At least N highlighted sections: non-blank {@code *text*} matches plus non-blank {@code **text**}
     * matches (the current reference counts both forms).
     */
    record NumberHighlightedSections(int numHighlights) implements Instruction {
        static NumberHighlightedSections of(Kwargs k) {
            k.only("num_highlights");
            return new NumberHighlightedSections(k.integer("num_highlights"));
        }

        public String id() {
            return "detectable_format:number_highlighted_sections";
        }

        public boolean isFollowed(String response) {
            return count(response) >= numHighlights;
        }

        static int count(String response) {
            int n = 0;
            Matcher m = SINGLE_HIGHLIGHT.matcher(response);
            while (m.find()) if (!PyText.strip(PyText.strip(m.group(), "*")).isEmpty()) n++;
            m = DOUBLE_HIGHLIGHT.matcher(response);
            while (m.find()) {
                String g = m.group();
                if (!PyText.strip(g.substring(2, g.length() - 2)).isEmpty()) n++;
            }
            return n;
        }
    }

    private static final Pattern TITLE = PyText.compile("<<[^\\n]+>>");

    /** A title in double angular brackets, e.g. &lt;&lt;poem of joy&gt;&gt;, with non-blank text inside. */
    record Title() implements Instruction {
        static Title of(Kwargs k) {
            k.only();
            return new Title();
        }

        public String id() {
            return "detectable_format:title";
        }

        public boolean isFollowed(String response) {
            Matcher m = TITLE.matcher(response);
            while (m.find()) {
                if (!PyText.strip(PyText.rstrip(PyText.lstrip(m.group(), "<"), ">")).isEmpty()) return true;
            }
            return false;
        }
    }
}
