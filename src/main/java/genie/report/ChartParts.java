package genie.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Locale;

import static genie.report.Charts.HEIGHT;
import static genie.report.Charts.WIDTH;

/** The drawing pieces {@link Charts} builds its pictures from: styled axes, lines, histograms, ranges. */
final class ChartParts {
    private ChartParts() {}


    static XYChart xy(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        org.knowm.xchart.style.XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartTitleFont(s.getChartTitleFont().deriveFont(13f));
        chart.getStyler().setMarkerSize(5);
        s.setXAxisDecimalPattern("#0.###");
        return chart;
    }

    static void line(XYChart chart, String name, float[] values, Color color) {
        double[] x = new double[values.length];
        double[] y = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            x[i] = i + 1;
            y[i] = Math.max(values[i], 1e-12);
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        if (color != null) {
            s.setLineColor(color);
        }
    }

    static void vline(XYChart chart, String name, double x, double top, Color color) {
        String n = name == null ? "_" + chart.getSeriesMap().size() : name;
        XYSeries s = chart.addSeries(n, new double[] {x, x}, new double[] {0, top});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        s.setShowInLegend(name != null);
    }

    /** Density histogram as a step line; bounds default to the data range. */
    static void histogram(XYChart chart, String name, float[] v, int bins, Color color, Double lo, Double hi) {
        hist(chart, name, v, bins, color, lo, hi, true);
    }

    static void histogramCounts(XYChart chart, String name, float[] v, int bins, Color color, double lo, double hi) {
        hist(chart, name, v, bins, color, lo, hi, false);
    }

    static void hist(XYChart chart, String name, float[] v, int bins, Color color, Double lo, Double hi,
            boolean density) {
        double[] r = lo == null || hi == null ? range(v, Float.NaN, Float.NaN) : new double[] {lo, hi};
        double width = (r[1] - r[0]) / bins;
        double[] counts = new double[bins];
        for (float f : v) {
            int b = (int) Math.floor((f - r[0]) / width);
            if (b >= 0 && b < bins) {
                counts[b]++;
            } else if (b == bins) {
                counts[bins - 1]++;
            }
        }
        double[] x = new double[bins];
        for (int b = 0; b < bins; b++) {
            x[b] = r[0] + (b + 0.5) * width;
            if (density) {
                counts[b] = counts[b] / Math.max(1, v.length) / width;
            }
        }
        XYSeries s = chart.addSeries(name, x, counts);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        s.setMarker(SeriesMarkers.NONE);
        if (color != null) {
            s.setLineColor(color);
            s.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 60));
        }
    }

    /** Data range widened to include [lo, hi] when given, never empty. */
    static double[] range(float[] v, float lo, float hi) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            if (Float.isFinite(f)) {
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
        }
        if (!Float.isNaN(lo)) {
            min = Math.min(min, lo);
            max = Math.max(max, hi);
        }
        if (!(min < max)) {
            min = Double.isFinite(min) ? min - 0.5 : -0.5;
            max = min + 1;
        }
        double pad = (max - min) * 0.02;
        return new double[] {min - pad, max + pad};
    }

    static double clippedFraction(float[] v, float lo, float hi) {
        int c = 0;
        for (float f : v) {
            if (f < lo || f > hi) {
                c++;
            }
        }
        return (double) c / Math.max(1, v.length);
    }

    static double mse(float[] a, float[] b) {
        int n = Math.min(a.length, b.length);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s / Math.max(1, n);
    }

    static double max(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, d);
        }
        return m == 0 ? 1 : m;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
