package rift.report;

import java.util.List;
import rift.report.Doc.Block;
import rift.report.Doc.Bullets;
import rift.report.Doc.Figure;
import rift.report.Doc.FigureGrid;
import rift.report.Doc.Heading;
import rift.report.Doc.Para;
import rift.report.Doc.Pre;
import rift.report.Doc.Table;

/** Renders a {@link Doc} as GitHub-flavoured Markdown; images are linked by relative path. */
final class MarkdownRenderer {
    private MarkdownRenderer() {}

    static String render(Doc doc) {
        StringBuilder b = new StringBuilder();
        for (Block block : doc.blocks) {
            switch (block) {
                case Heading h -> b.append("#".repeat(h.level())).append(' ').append(escape(h.text())).append("\n\n");
                case Para p -> b.append(switch (p.style()) {
                    case PLAIN -> escape(p.text());
                    case NOTE -> "*" + escape(p.text()) + "*";
                    case KEY -> "**" + escape(p.text()) + "**";
                }).append("\n\n");
                case Bullets l -> {
                    for (String item : l.items()) b.append("- ").append(escape(item)).append('\n');
                    b.append('\n');
                }
                case Table t -> table(b, t);
                case Figure f -> figure(b, f);
                case FigureGrid g -> {
                    for (Figure f : g.figures()) figure(b, f);
                }
                case Pre p -> {
                    String fence = "`".repeat(Math.max(3, longestRun(p.text(), '`') + 1));
                    b.append(fence).append('\n').append(p.text());
                    if (!p.text().endsWith("\n")) b.append('\n');
                    b.append(fence).append("\n\n");
                }
            }
        }
        return b.toString();
    }

    private static void table(StringBuilder b, Table t) {
        row(b, t.header());
        b.append('|');
        for (boolean numeric : t.numeric()) b.append(numeric ? " ---: |" : " --- |");
        b.append('\n');
        for (List<String> r : t.rows()) row(b, r);
        b.append('\n');
    }

    private static void row(StringBuilder b, List<String> cells) {
        b.append('|');
        for (String c : cells) b.append(' ').append(escape(c)).append(" |");
        b.append('\n');
    }

    private static void figure(StringBuilder b, Figure f) {
        b.append("![").append(escape(f.alt())).append("](").append(f.png()).append(")\n\n");
        b.append('*').append(escape(f.caption())).append('*');
        if (f.svg() != null) b.append(" [SVG](").append(f.svg()).append(')');
        b.append("\n\n");
    }

    /**
     * Backslash-escapes what could start Markdown syntax in text or a table cell, and nothing else, so the raw
     * file stays readable: {@code DI_g} keeps its underscore (CommonMark never reads an underscore between letters
     * or digits as emphasis), {@code [26.5, 32.5]} keeps its brackets (no link definitions exist, so only "](" could
     * make a link), and block markers (#, >, -, +, =) only matter at the start of a line. Line breaks become spaces:
     * a cell is one line.
     */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char prev = i > 0 ? text.charAt(i - 1) : ' ';
            char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
            boolean escape = switch (c) {
                case '\\', '`', '*', '|', '<', '~' -> true;
                case '_' -> !(Character.isLetterOrDigit(prev) && Character.isLetterOrDigit(next));
                case ']' -> next == '(' || next == '[' || next == ':';
                case '&' -> Character.isLetter(next) || next == '#';
                case '#', '>', '-', '+', '=', '[' -> i == 0;
                default -> false;
            };
            if (c == '\n' || c == '\r') {
                b.append(' ');
                continue;
            }
            if (escape) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }

    private static int longestRun(String s, char c) {
        int best = 0, run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == c ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }
}
