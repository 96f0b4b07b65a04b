package rift.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.font.FontRenderContext;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Grouped bars drawn on an XY chart. XChart's category chart has only symmetric error bars and cannot put
 * points on a bar, so each bar here is a filled polygon, each whisker a line from its low to its high end (an
 * interval need not be symmetric), and the per-seed values are dots on their bar. Category names are drawn as
 * text above the bars, because XChart picks numeric tick positions on its own.
 */
final class BarPlot {
    private BarPlot() {}

    /**
     * One series of bars: a value per category, optional whisker ends, optional dots.
     *
     * @param low    whisker low end per category; NaN for none
     * @param high   whisker high end per category; NaN for none
     * @param points the dots per category (e.g. one per seed); empty lists for none
     */
    record Bars(String name, Color colour, double[] value, double[] low, double[] high, List<List<Double>> points) {}

    private static final double GROUP_WIDTH = 0.8;

    /**
     * @param categories one name per category
     * @param headers    a header per category (consecutive equal headers share one label above them), or null
     * @param dotsLegend the legend text of the dots
     * @param width      the chart's width in pixels
     */
    static XYChart draw(int width, int height, String title, String yTitle, List<String> categories,
                        List<String> headers, List<Bars> series, String dotsLegend) {
        int nCat = categories.size(), nSer = series.size();
        double slot = GROUP_WIDTH / Math.max(1, nSer);
        double half = slot * 0.42, cap = slot * 0.16;

        double lo = 0, hi = 0;
        for (Bars b : series) {
            for (int i = 0; i < nCat; i++) {
                for (double v : new double[] {b.value()[i], b.low()[i], b.high()[i]}) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
                for (double v : b.points().get(i)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double span = hi - lo > 0 ? hi - lo : 1;

        // labels live in a band above the tallest bar; staggered into two rows when they would overlap
        FontRenderContext frc = new FontRenderContext(null, true, true);
        double plotPx = width - 110;
        double slotPx = plotPx / Math.max(1, nCat);
        List<String> labels = new ArrayList<>();
        boolean stagger = false;
        for (String c : categories) {
            String l = fit(c, 1.9 * slotPx, frc);
            labels.add(l);
            if (ChartStyle.LABEL.getStringBounds(l, frc).getWidth() > 0.95 * slotPx) stagger = true;
        }
        int rows = (stagger ? 2 : 1) + (headers != null ? 1 : 0);
        double rowHeight = span * 0.075;
        double top = hi + span * 0.04 + rows * rowHeight + span * 0.02;
        double bottom = lo < 0 ? lo - span * 0.04 : 0;

        XYChart c = ChartStyle.xy(width, height, title, "", yTitle);
        c.getStyler().setXAxisMin(-0.5).setXAxisMax(nCat - 0.5).setYAxisMin(bottom).setYAxisMax(top);
        c.getStyler().setXAxisTicksVisible(false).setXAxisTitleVisible(false);
        c.getStyler().setPlotGridVerticalLinesVisible(false);

        int hidden = 0;
        // separators first so that bars paint over them
        for (int i = 0; i + 1 < nCat; i++) {
            boolean groupEdge = headers != null && !headers.get(i).equals(headers.get(i + 1));
            XYSeries s = c.addSeries("~sep" + hidden++, new double[] {i + 0.5, i + 0.5}, new double[] {bottom, top});
            line(s, groupEdge ? new Color(0x88, 0x88, 0x88) : ChartStyle.GRID, groupEdge ? 1.5f : 1f);
        }
        if (lo < 0) {
            XYSeries z = c.addSeries("~zero", new double[] {-0.5, nCat - 0.5}, new double[] {0, 0});
            line(z, ChartStyle.INK, 1.2f);
        }
        List<Double> dotX = new ArrayList<>(), dotY = new ArrayList<>();
        for (int j = 0; j < nSer; j++) {
            Bars b = series.get(j);
            boolean legendShown = false;
            for (int i = 0; i < nCat; i++) {
                double x = i - GROUP_WIDTH / 2 + (j + 0.5) * slot;
                double v = b.value()[i];
                if (Double.isFinite(v)) {
                    String name = legendShown ? "~bar" + hidden++ : b.name();
                    XYSeries bar = c.addSeries(name, new double[] {x - half, x + half, x + half, x - half},
                            new double[] {0, 0, v, v});
                    bar.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
                    bar.setMarker(SeriesMarkers.NONE);
                    bar.setFillColor(b.colour());
                    bar.setLineColor(b.colour());
                    bar.setLineStyle(new BasicStroke(1f));
                    bar.setShowInLegend(!legendShown);
                    legendShown = true;
                }
                double l = b.low()[i], h = b.high()[i];
                if (Double.isFinite(l) && Double.isFinite(h)) {
                    XYSeries w = c.addSeries("~ci" + hidden++,
                            new double[] {x - cap, x + cap, x, x, x - cap, x + cap},
                            new double[] {l, l, l, h, h, h});
                    line(w, ChartStyle.INK, 1.6f);
                }
                List<Double> pts = b.points().get(i);
                for (int k = 0; k < pts.size(); k++) {
                    // spread the dots across the bar so equal values stay visible
                    double off = pts.size() == 1 ? 0 : (k - (pts.size() - 1) / 2.0) * (1.2 * half / pts.size());
                    dotX.add(x + off);
                    dotY.add(pts.get(k));
                }
            }
        }
        if (!dotX.isEmpty()) {
            XYSeries d = c.addSeries(dotsLegend, dotX, dotY);
            d.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            d.setMarker(SeriesMarkers.CIRCLE);
            d.setMarkerColor(ChartStyle.INK);
        }

        double rowY = hi + span * 0.04 + rowHeight * 0.5;
        for (int i = 0; i < nCat; i++) {
            double y = stagger && i % 2 == 1 ? rowY + rowHeight : rowY;
            c.addAnnotation(new AnnotationText(labels.get(i), i, y, false));
        }
        if (headers != null) {
            double headerY = rowY + rowHeight * (stagger ? 2 : 1);
            int start = 0;
            for (int i = 1; i <= nCat; i++) {
                if (i == nCat || !headers.get(i).equals(headers.get(start))) {
                    c.addAnnotation(new AnnotationText(headers.get(start).toUpperCase(java.util.Locale.ROOT),
                            (start + i - 1) / 2.0, headerY, false));
                    start = i;
                }
            }
        }
        ChartStyle.fitLegend(c);
        return c;
    }

    private static void line(XYSeries s, Color colour, float width) {
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
        s.setLineStyle(new BasicStroke(width));
        s.setShowInLegend(false);
    }

    /** The label, cut with an ellipsis when wider than maxPx. */
    private static String fit(String label, double maxPx, FontRenderContext frc) {
        if (ChartStyle.LABEL.getStringBounds(label, frc).getWidth() <= maxPx) return label;
        String s = label;
        while (s.length() > 1 && ChartStyle.LABEL.getStringBounds(s + "…", frc).getWidth() > maxPx) s = s.substring(0, s.length() - 1);
        return s + "…";
    }
}
