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

/**
 * Renders a {@link Doc} as one self-contained HTML page: inline CSS, no scripts, no network; images are the
 * PNG files beside it, linked by relative path.
 */
final class HtmlRenderer {
    private HtmlRenderer() {}

    private static final String CSS = """
            body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #222; margin: 2em auto;
                   max-width: 1180px; padding: 0 1em; line-height: 1.45; }
            h1 { font-size: 1.7em; margin-bottom: 0.2em; }
            h2 { font-size: 1.3em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.8em; }
            h3 { font-size: 1.1em; margin-top: 1.4em; }
            table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; vertical-align: top; }
            th { background: #f2f2f2; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            p.note { font-size: 0.88em; color: #555; }
            p.key { font-weight: bold; }
            figure { margin: 0.8em 0 1.4em; }
            figure img { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
            figcaption { font-size: 0.88em; color: #555; max-width: 900px; }
            div.grid { display: flex; flex-wrap: wrap; gap: 0.8em; }
            div.grid figure { margin: 0; flex: 0 1 560px; }
            pre { background: #f7f7f7; border: 1px solid #ddd; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
            nav { font-size: 0.9em; margin-bottom: 1em; }
            nav a { margin-right: 0.9em; }
            """;

    static String render(Doc doc) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        b.append("<title>").append(escape(doc.title)).append("</title>\n");
        b.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        for (Block block : doc.blocks) {
            switch (block) {
                case Heading h -> {
                    b.append("<h").append(h.level()).append(" id=\"").append(escape(h.anchor())).append("\">")
                            .append(escape(h.text())).append("</h").append(h.level()).append(">\n");
                    if (h.level() == 1) nav(b, doc);
                }
                case Para p -> b.append(switch (p.style()) {
                    case PLAIN -> "<p>" + escape(p.text()) + "</p>\n";
                    case NOTE -> "<p class=\"note\">" + escape(p.text()) + "</p>\n";
                    case KEY -> "<p class=\"key\">" + escape(p.text()) + "</p>\n";
                });
                case Bullets l -> {
                    b.append("<ul>\n");
                    for (String item : l.items()) b.append("<li>").append(escape(item)).append("</li>\n");
                    b.append("</ul>\n");
                }
                case Table t -> table(b, t);
                case Figure f -> figure(b, f);
                case FigureGrid g -> {
                    b.append("<div class=\"grid\">\n");
                    for (Figure f : g.figures()) figure(b, f);
                    b.append("</div>\n");
                }
                case Pre p -> b.append("<pre>").append(escape(p.text())).append("</pre>\n");
            }
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    /** Links to the level-2 sections, under the title. */
    private static void nav(StringBuilder b, Doc doc) {
        b.append("<nav>");
        for (Block block : doc.blocks) {
            if (block instanceof Heading h && h.level() == 2) {
                b.append("<a href=\"#").append(escape(h.anchor())).append("\">").append(escape(h.text())).append("</a>");
            }
        }
        b.append("</nav>\n");
    }

    private static void table(StringBuilder b, Table t) {
        b.append("<table>\n<thead><tr>");
        for (String h : t.header()) b.append("<th>").append(escape(h)).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : t.rows()) {
            b.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                b.append(t.numeric().get(i) ? "<td class=\"num\">" : "<td>").append(escape(r.get(i))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    private static void figure(StringBuilder b, Figure f) {
        b.append("<figure><img src=\"").append(escape(f.png())).append("\" alt=\"").append(escape(f.alt()))
                .append("\"><figcaption>").append(escape(f.caption()));
        if (f.svg() != null) b.append(" <a href=\"").append(escape(f.svg())).append("\">SVG</a>");
        b.append("</figcaption></figure>\n");
    }

    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
