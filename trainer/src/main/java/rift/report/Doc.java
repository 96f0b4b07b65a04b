package rift.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The report as a list of plain blocks. The HTML and the Markdown file are two renderings of the same
 * blocks, so they cannot say different things.
 */
final class Doc {
    /** A block of the report. Text is plain (renderers escape it). */
    sealed interface Block permits Heading, Para, Bullets, Table, Figure, FigureGrid, Pre {}

    /** A section heading; level 1 is the title. The anchor is a stable id for links. */
    record Heading(int level, String text, String anchor) implements Block {}

    /** How a paragraph stands out: a note is shown smaller (definitions), a key sentence in bold. */
    enum Style { PLAIN, NOTE, KEY }

    record Para(String text, Style style) implements Block {}

    record Bullets(List<String> items) implements Block {}

    /** A table; numeric columns are right-aligned. */
    record Table(List<String> header, List<Boolean> numeric, List<List<String>> rows) implements Block {
        Table {
            if (numeric.size() != header.size()) throw new IllegalArgumentException("numeric flags " + numeric.size() + " != columns " + header.size());
            for (List<String> r : rows) {
                if (r.size() != header.size()) throw new IllegalArgumentException("row " + r + " has " + r.size() + " cells, header " + header.size());
            }
        }
    }

    /**
     * A figure: a PNG (and optionally the same chart as SVG) relative to the report folder.
     *
     * @param svg the SVG's relative path, or null when none was written
     */
    record Figure(String png, String svg, String alt, String caption) implements Block {}

    /** Figures shown side by side where the page is wide enough. */
    record FigureGrid(List<Figure> figures) implements Block {}

    /** Verbatim text (the recipe). */
    record Pre(String text) implements Block {}

    final String title;
    final List<Block> blocks = new ArrayList<>();

    Doc(String title) {
        this.title = title;
    }

    Doc add(Block b) {
        blocks.add(b);
        return this;
    }

    Doc heading(int level, String text, String anchor) {
        return add(new Heading(level, text, anchor));
    }

    Doc para(String text) {
        return add(new Para(text, Style.PLAIN));
    }

    Doc note(String text) {
        return add(new Para(text, Style.NOTE));
    }

    Doc key(String text) {
        return add(new Para(text, Style.KEY));
    }
}
