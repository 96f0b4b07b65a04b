package rift.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The structure of a normalized answer: a scalar expression, an equation, a tuple or interval
 * (brackets kept: {@code (1,2]} is not {@code [1,2]}), an unordered collection (a set
 * {@code \{1,2\}}, a bare list "1,2" of several answers, a union of intervals, the two values of
 * {@code 1\pm\sqrt{2}}), a matrix, or text when nothing else fits.
 */
sealed interface Answer {
    record Scalar(Expr expr, String text) implements Answer {}

    record Equation(Expr left, Expr right, String text) implements Answer {}

    /** A tuple, point or interval: {@code open} is '(' or '[', {@code close} is ')' or ']'. */
    record Bracketed(char open, char close, List<Answer> items) implements Answer {}

    /** Order does not matter: sets, "all solutions" lists, unions, plus-minus pairs. */
    record Unordered(List<Answer> items) implements Answer {}

    record Matrix(List<List<Answer>> rows) implements Answer {}

    /** Compared as a string, ignoring case ({@code \text{Evelyn}}, {@code 52_8}, multiple-choice letters). */
    record Text(String text) implements Answer {}

    /** Collections and matrices larger than this are compared as text only. */
    int MAX_ITEMS = 64;
    /** Answers nested deeper than this (tuples of sets of ...) are compared as text. */
    int MAX_NESTING = 8;

    static Answer parse(String normalized, Budget budget) {
        return parse(normalized, budget, 0);
    }

    private static Answer parse(String s, Budget budget, int nesting) {
        budget.tick();
        s = s.strip();
        if (s.isEmpty() || nesting > MAX_NESTING) return new Text(s);
        if (s.equals("\\emptyset")) return new Unordered(List.of());
        if (s.startsWith("\\begin{")) return matrix(s, budget, nesting);

        List<String> union = TopLevel.split(s, "\\cup", budget);
        if (union.size() > 1) return unordered(union, budget, nesting);

        if (s.startsWith("\\{") && s.endsWith("\\}") && TopLevel.closingOf(s, 0, budget) == s.length() - 2) {
            String inner = s.substring(2, s.length() - 2);
            return unordered(TopLevel.split(inner, ",", budget), budget, nesting);
        }
        char first = s.charAt(0), last = s.charAt(s.length() - 1);
        if ((first == '(' || first == '[') && (last == ')' || last == ']')
                && TopLevel.closingOf(s, 0, budget) == s.length() - 1) {
            List<String> parts = TopLevel.split(s.substring(1, s.length() - 1), ",", budget);
            if (parts.size() > 1) {
                if (parts.size() > MAX_ITEMS) return new Text(s);
                List<Answer> items = new ArrayList<>();
                for (String p : parts) items.add(parse(p, budget, nesting + 1));
                return new Bracketed(first, last, items);
            }
        }
        List<String> list = TopLevel.split(s, ",", budget);
        if (list.size() > 1) return unordered(list, budget, nesting);

        List<String> plusMinus = TopLevel.expandPlusMinus(s, budget);
        if (plusMinus.size() > 1) return unordered(plusMinus, budget, nesting);

        List<String> sides = TopLevel.split(s, "=", budget);
        if (sides.size() == 2) {
            try {
                return new Equation(ExprParser.parse(sides.get(0), budget), ExprParser.parse(sides.get(1), budget), s);
            } catch (ExprParser.NotParseable e) {
                return new Text(s);
            }
        }
        if (sides.size() > 2) return new Text(s);
        Answer inequality = Inequality.toInterval(s, budget);
        if (inequality != null) return inequality;
        if (TopLevel.isWords(s)) return new Text(s);
        try {
            return new Scalar(ExprParser.parse(s, budget), s);
        } catch (ExprParser.NotParseable e) {
            return new Text(s);
        }
    }

    private static Answer unordered(List<String> parts, Budget budget, int nesting) {
        if (parts.size() > MAX_ITEMS) return new Text(String.join(",", parts));
        List<Answer> items = new ArrayList<>();
        for (String p : parts) {
            // 1\pm\sqrt{5} inside a list or set contributes both of its values to it
            for (String q : TopLevel.expandPlusMinus(AnswerNormalizer.stripShortPrefix(p.strip()), budget)) {
                items.add(parse(q, budget, nesting + 1));
            }
        }
        if (items.size() > MAX_ITEMS) return new Text(String.join(",", parts));
        return new Unordered(items);
    }

    /** {@code \begin{pmatrix} a & b \\ c & d \end{pmatrix}} (also bmatrix, matrix, array...). */
    private static Answer matrix(String s, Budget budget, int nesting) {
        int nameEnd = s.indexOf('}');
        String env = s.substring("\\begin{".length(), nameEnd);
        String end = "\\end{" + env + "}";
        if (!s.endsWith(end)) return new Text(s);
        String body = s.substring(nameEnd + 1, s.length() - end.length());
        if (env.equals("array") && body.startsWith("{")) {
            int close = AnswerNormalizer.matchingBrace(body, 0, budget);
            if (close < 0) return new Text(s);
            body = body.substring(close + 1); // column spec
        }
        List<List<Answer>> rows = new ArrayList<>();
        int cells = 0;
        for (String row : TopLevel.split(body, "\\\\", budget)) {
            if (row.isBlank()) continue;
            List<Answer> cols = new ArrayList<>();
            for (String cell : TopLevel.split(row, "&", budget)) {
                if (++cells > MAX_ITEMS) return new Text(s);
                cols.add(parse(cell, budget, nesting + 1));
            }
            rows.add(cols);
        }
        return new Matrix(rows);
    }
}
