package rift.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.Series;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The look shared by every chart: white background, the logical SansSerif font (DejaVu Sans where only
 * fonts-dejavu-core is installed), legend under the plot, and the Okabe–Ito colours, which stay apart for
 * colour-blind readers.
 */
final class ChartStyle {
    private ChartStyle() {}

    /** Base arm grey, then one Okabe–Ito colour per trained arm in input order. */
    private static final Color[] ARM_COLOURS = {
        new Color(0x77, 0x77, 0x77), new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x72, 0xB2),
        new Color(0x00, 0x9E, 0x73), new Color(0xCC, 0x79, 0xA7), new Color(0xE6, 0x9F, 0x00),
        new Color(0x56, 0xB4, 0xE9), new Color(0x44, 0x44, 0x44)
    };

    static final Color UNSHIFTED = new Color(0x00, 0x9E, 0x73);
    static final Color MARGINAL = new Color(0xE6, 0x9F, 0x00);
    static final Color SHIFTED = new Color(0xD5, 0x5E, 0x00);
    static final Color INK = new Color(0x22, 0x22, 0x22);
    static final Color GRID = new Color(0xE3, 0xE3, 0xE3);
    static final Color LINK = new Color(0xBB, 0xBB, 0xBB);

    static final String FONT = Font.SANS_SERIF;
    static final Font TITLE = new Font(FONT, Font.BOLD, 15);
    static final Font AXIS_TITLE = new Font(FONT, Font.PLAIN, 13);
    static final Font TICKS = new Font(FONT, Font.PLAIN, 12);
    static final Font LEGEND = new Font(FONT, Font.PLAIN, 12);
    static final Font LABEL = new Font(FONT, Font.BOLD, 12);

    /** The colour of the arm at this index in {@link ReportData#arms()}. */
    static Color arm(int index) {
        return ARM_COLOURS[index % ARM_COLOURS.length];
    }

    /** The colour with this alpha (0..255), for bands under lines. */
    static Color alpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    static XYChart xy(int width, int height, String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        apply(c.getStyler());
        return c;
    }

    static CategoryChart category(int width, int height, String title, String xTitle, String yTitle) {
        CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        apply(c.getStyler());
        return c;
    }

    /**
     * Keeps the legend inside the image: under the plot in one row when it fits the chart's width, otherwise
     * in a column right of the plot (XChart does not wrap a legend row; it would be cut off).
     */
    static void fitLegend(Chart<?, ?> chart) {
        FontRenderContext frc = new FontRenderContext(null, true, true);
        double width = 0;
        for (Series s : chart.getSeriesMap().values()) {
            if (s.isShowInLegend()) width += LEGEND.getStringBounds(s.getName(), frc).getWidth() + 60;
        }
        if (width > chart.getWidth() - 40) {
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        }
    }

    private static void apply(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x99, 0x99, 0x99));
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setPlotGridVerticalLinesVisible(false);
        s.setChartTitleFont(TITLE);
        s.setChartTitleBoxVisible(false);
        s.setChartFontColor(INK);
        s.setAxisTitleFont(AXIS_TITLE);
        s.setAxisTickLabelsFont(TICKS);
        s.setAxisTickLabelsColor(INK);
        s.setLegendFont(LEGEND);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setLegendPadding(10);
        s.setLegendSeriesLineLength(28);
        s.setAnnotationTextFont(LABEL);
        s.setAnnotationTextFontColor(INK);
        s.setMarkerSize(7);
        s.setToolTipsEnabled(false);
        s.setAntiAlias(true);
        s.setLocale(Locale.ROOT);
        s.setChartPadding(12);
    }
}
