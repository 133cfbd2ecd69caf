package io.silt.bench.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts of benchmark results (JFreeChart, headless AWT): latency percentile curves, line charts of a metric
 * against a parameter, and bar charts.
 */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final double MAX_NINES = 4; // percentile curves end at 99.99 %
    /** Colours that stay readable on white (JFreeChart's defaults include a pale yellow). */
    private static final Color[] PALETTE = {new Color(0x1F77B4), new Color(0xD62728), new Color(0x2CA02C),
        new Color(0x9467BD), new Color(0xFF7F0E), new Color(0x8C564B), new Color(0xE377C2), new Color(0x17BECF)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * Latency against percentile, one curve per histogram: x on a "nines" scale (50 %, 90 %, 99 %, 99.9 %, 99.99 %
     * equally spaced), y in milliseconds on a log scale.
     *
     * @param series name to histogram
     * @param unitsPerMilli the histograms' units per millisecond (1000 for microseconds)
     */
    public static void percentiles(Path png, String title, Map<String, Histogram> series, double unitsPerMilli) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, h) -> {
            XYSeries s = new XYSeries(name, true, false);
            if (h.getTotalCount() > 0) {
                for (HistogramIterationValue v : h.percentiles(5)) {
                    double p = v.getPercentileLevelIteratedTo();
                    if (p >= 100) {
                        break;
                    }
                    double x = -Math.log10(1 - p / 100);
                    if (x > MAX_NINES) {
                        break;
                    }
                    s.addOrUpdate(x, Math.max(0.1, h.highestEquivalentValue(v.getValueIteratedTo()) / unitsPerMilli));
                }
            }
            data.addSeries(s);
        });
        NumberAxis x = new NumberAxis("percentile");
        x.setRange(0, MAX_NINES);
        x.setTickUnit(new NumberTickUnit(1, new NinesFormat()));
        LogAxis y = new LogAxis("latency, ms (log scale)");
        y.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        XYPlot plot = new XYPlot(data, x, y, new XYLineAndShapeRenderer(true, false));
        write(png, style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), plot));
    }

    /**
     * Lines of {@code y} against {@code x}: series name to points {@code {x, y}}.
     *
     * @param logX whether x is on a log scale (e.g. history length, producers)
     */
    public static void lines(Path png, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                             Map<String, List<double[]>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries s = new XYSeries(name, true, false);
            points.forEach(p -> s.addOrUpdate(p[0], logY ? Math.max(p[1], 1e-9) : p[1]));
            data.addSeries(s);
        });
        double maxX = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1);
        double minX = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).min().orElse(1);
        ValueAxis x = logX ? powersAxis(xLabel + " (log scale)", maxX / minX >= 1000 ? 10 : 2)
                : new NumberAxis(xLabel);
        ValueAxis y = logY ? logAxis(yLabel + " (log scale)", 10) : new NumberAxis(yLabel);
        XYPlot plot = new XYPlot(data, x, y, new XYLineAndShapeRenderer(true, true));
        write(png, style(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), plot));
    }

    /** Bars: category to value, labelled with their values; {@code logY} for values spanning decades. */
    public static void bars(Path png, String title, String yLabel, Map<String, Double> values, boolean logY) {
        groupedBars(png, title, yLabel, Map.of("", values), logY);
    }

    /**
     * Grouped bars: series name to (category to value), a legend when there is more than one series; labelled with
     * their values; {@code logY} for values spanning decades.
     */
    public static void groupedBars(Path png, String title, String yLabel, Map<String, Map<String, Double>> series,
                                   boolean logY) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        series.forEach((name, values) -> values.forEach((k, v) -> data.addValue(v, name, k)));
        JFreeChart chart = ChartFactory.createBarChart(title, null, yLabel, data, PlotOrientation.VERTICAL,
                series.size() > 1, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        if (logY) {
            LogAxis y = logAxis(yLabel + " (log scale)", 10);
            plot.setRangeAxis(y);
        }
        CategoryAxis x = plot.getDomainAxis();
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        x.setMaximumCategoryLabelLines(3);
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setIncludeBaseInRange(!logY); // on a log scale the bars' base (0) must not stretch the axis
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("#,##0.#####")));
        r.setDefaultItemLabelsVisible(true);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        chart.setBackgroundPaint(Color.WHITE);
        write(png, chart);
    }

    /** A log axis with a tick at each power of {@code base} (1, 2, 4, 8 ... or 1,000, 10,000 ...). */
    private static LogAxis powersAxis(String label, double base) {
        LogAxis a = logAxis(label, base);
        a.setTickUnit(new NumberTickUnit(1));
        a.setNumberFormatOverride(new DecimalFormat("#,##0"));
        return a;
    }

    private static LogAxis logAxis(String label, double base) {
        LogAxis a = new LogAxis(label);
        a.setBase(base);
        a.setSmallestValue(1e-9);
        a.setNumberFormatOverride(new DecimalFormat("#,##0.#####"));
        return a;
    }

    private static JFreeChart style(JFreeChart chart, XYPlot plot) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        return chart;
    }

    private static void write(Path png, JFreeChart chart) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }

    /** Formats x = -log10(1 - p) as the percentile p: 0 → 0 %, 1 → 90 %, 2 → 99 %, 3 → 99.9 %. */
    private static final class NinesFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
            double p = 100 * (1 - Math.pow(10, -x));
            return to.append(p == Math.rint(p) ? String.format(Locale.ROOT, "%.0f%%", p)
                    : String.format(Locale.ROOT, "%s%%", new DecimalFormat("0.####").format(p)));
        }

        @Override
        public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
            return format((double) x, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException();
        }
    }
}
