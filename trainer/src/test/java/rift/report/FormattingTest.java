package rift.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormattingTest {

    @Test
    void spreadIsTheSampleStandardDeviationAndSkipsNaN() {
        Spread s = Spread.of(List.of(1.0, 2.0, Double.NaN, 3.0, 4.0));
        assertEquals(4, s.n());
        assertEquals(2.5, s.mean(), 0);
        assertEquals(Math.sqrt(5.0 / 3.0), s.sd(), 1e-15);
        assertEquals(1.0, s.min(), 0);
        assertEquals(4.0, s.max(), 0);
        assertEquals(0.0, Spread.of(List.of(7.0)).sd(), 0);
        assertTrue(Spread.of(List.of(Double.NaN)).isEmpty());
        // two passes keep the digits of a tiny spread on a large mean
        assertEquals(1.0, Spread.of(List.of(1e9 - 1, 1e9, 1e9 + 1)).sd(), 1e-12);
    }

    @Test
    void numbersAreLocaleFreeAndNeverNegativeZero() {
        assertEquals("-0.0".length() - 1, Fmt.fixed(-0.01, 1).length());
        assertEquals("0.0", Fmt.fixed(-0.01, 1));
        assertEquals("0.0", Fmt.signed(-0.01, 1));
        assertEquals("+12.3", Fmt.signed(12.34, 1));
        assertEquals("-40.1", Fmt.signed(-40.1, 1));
        assertEquals("n/a", Fmt.fixed(Double.NaN, 2));
        assertEquals("1234567.50", Fmt.fixed(1234567.5, 2));
        assertEquals("60.0 ± 1.5", Fmt.spread(Spread.of(List.of(58.5, 60.0, 61.5)), 1, false, "±"));
        assertEquals("+3.0 +- 1.0", Fmt.spread(Spread.of(List.of(2.0, 3.0, 4.0)), 1, true, "+-"));
        assertEquals("7.00", Fmt.spread(Spread.of(List.of(7.0)), 2, false, "±"));
        assertEquals("n/a", Fmt.spread(Spread.EMPTY, 2, false, "±"));
    }

    @Test
    void tokensShowTheirWhitespaceAndSlugsAreFileSafe() {
        assertEquals("␣Wait", Fmt.visibleToken(" Wait"));
        assertEquals("↵↵⇥\\u0007", Fmt.visibleToken("\n\n\t\u0007"));
        assertEquals("(empty)", Fmt.visibleToken(""));
        assertEquals("grad-norm", Fmt.slug("grad_norm"));
        assertEquals("math500", Fmt.slug("MATH500"));
        assertEquals("x", Fmt.slug("../"));
        assertEquals("sft-think-v2", Fmt.slug("  SFT (think) v2!"));
    }

    @Test
    void markdownEscapingKeepsTablesIntactAndPlainTextReadable() {
        assertEquals("a\\|b", MarkdownRenderer.escape("a|b"));
        assertEquals("\\<b> \\`x\\` \\*y\\*", MarkdownRenderer.escape("<b> `x` *y*"));
        assertEquals("DI_g and TI_other", MarkdownRenderer.escape("DI_g and TI_other"));
        assertEquals("\\_lead and trail\\_", MarkdownRenderer.escape("_lead and trail_"));
        assertEquals("x [26.5, 32.5] -> ok", MarkdownRenderer.escape("x [26.5, 32.5] -> ok"));
        assertEquals("see [x\\](y)", MarkdownRenderer.escape("see [x](y)"));
        assertEquals("\\[x\\](y)", MarkdownRenderer.escape("[x](y)"));
        assertEquals("\\# not a heading # here", MarkdownRenderer.escape("# not a heading # here"));
        assertEquals("one line", MarkdownRenderer.escape("one\nline"));
        assertEquals("AT\\&T &", MarkdownRenderer.escape("AT&T &"));
    }

    @Test
    void markdownTablesHaveOneCellPerColumnWhateverTheText() {
        Doc doc = new Doc("t");
        doc.add(new Doc.Table(List.of("a", "b"), List.of(false, true), List.of(List.of("x|y", "1"), List.of("\n|", "2"))));
        String md = MarkdownRenderer.render(doc);
        for (String line : md.strip().split("\n")) {
            // unescaped pipes delimit cells: 3 per row of 2 cells
            long pipes = 0;
            for (int i = 0; i < line.length(); i++) if (line.charAt(i) == '|' && (i == 0 || line.charAt(i - 1) != '\\')) pipes++;
            assertEquals(3, pipes, line);
        }
        assertTrue(md.contains("| --- | ---: |"));
    }

    @Test
    void codeFenceIsLongerThanAnyBacktickRunInTheRecipe() {
        Doc doc = new Doc("t");
        doc.add(new Doc.Pre("a ``` b\n````\n"));
        String md = MarkdownRenderer.render(doc);
        assertTrue(md.startsWith("`````\na ``` b\n````\n`````\n"), md);
    }

    @Test
    void htmlEscapesEverythingItPrints() {
        Doc doc = new Doc("<T&>");
        doc.heading(1, "<T&>", "top").para("a \"q\" 'b' <script>").add(new Doc.Pre("x < y && z"));
        String html = HtmlRenderer.render(doc);
        assertTrue(html.contains("<title>&lt;T&amp;&gt;</title>"));
        assertTrue(html.contains("a &quot;q&quot; &#39;b&#39; &lt;script&gt;"));
        assertTrue(html.contains("<pre>x &lt; y &amp;&amp; z</pre>"));
        assertTrue(!html.contains("<script"));
    }

    @Test
    void svgClipIdsAreRenumberedInOrderOfUse() {
        String svg = "<clipPath id=\"clip880253692\"/><g clip-path=\"url(#clip880253692)\"/><clipPath id=\"clip17\"/>"
                + "<g clip-path=\"url(#clip17)\"/><g clip-path=\"url(#clip880253692)\"/>";
        assertEquals("<clipPath id=\"clip1\"/><g clip-path=\"url(#clip1)\"/><clipPath id=\"clip2\"/>"
                + "<g clip-path=\"url(#clip2)\"/><g clip-path=\"url(#clip1)\"/>", ReportWriter.stableIds(svg));
    }

    @Test
    void topTokensSumOverSeedsAndBreakTiesByText() {
        ReportData d = SyntheticReport.data(true);
        List<ProbeResult> sft = Summary.of(d).probes("sft", "MATH500");
        // " Wait": 40+1, 40+2, 40+3 = 126; "Hmm": 5+10+15 = 30; "\n": 21; "a|b": 9; "<b>": 6
        assertEquals("␣Wait ×126, Hmm ×30, ↵ ×21, a|b ×9, <b> ×6", ReportDocument.topTokens(sft));
        assertEquals("—", ReportDocument.topTokens(List.of()));
        assertTrue(Arrays.asList(ReportDocument.topTokens(sft).split(", ")).size() <= ReportDocument.TOP_TOKENS);
    }
}
