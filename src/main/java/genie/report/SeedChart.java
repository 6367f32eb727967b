package genie.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.Styler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mean top-1 per group with the standard deviation over seeds as error bars: one series per bit width (when the
 * groups differ in bits), one category per remaining setting combination. Dots and whiskers on an axis zoomed to the
 * data: on a 0-100 bar chart, differences of tenths of a point (what separates methods here) are invisible.
 */
public final class SeedChart {
    private SeedChart() {}

    public static CategoryChart of(List<SeedStatistics.Group> groups, String title) {
        List<String> keys = SeedStatistics.distinguishing(groups);
        boolean byBits = groups.stream().map(g -> bits(g)).distinct().count() > 1;
        List<String> xKeys = keys.stream().filter(k -> !(byBits && (k.endsWith("wbits") || k.endsWith("abits")))
                && groups.stream().map(g -> g.key().getOrDefault(k, "")).distinct().count() > 1).toList();
        Map<String, List<SeedStatistics.Group>> series = new LinkedHashMap<>();
        for (SeedStatistics.Group g : groups) series.computeIfAbsent(byBits ? bits(g) : "top-1 %", s -> new ArrayList<>()).add(g);
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(Charts.WIDTH, 90 * groups.size() / series.size() + 200))
                .height(Charts.HEIGHT).title(title).xAxisTitle(String.join(" / ", xKeys)).yAxisTitle("top-1 % (mean ± std)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setMarkerSize(9);
        double lo = groups.stream().mapToDouble(g -> g.mean() - (g.n() > 1 ? g.std() : 0)).min().orElse(0);
        double hi = groups.stream().mapToDouble(g -> g.mean() + (g.n() > 1 ? g.std() : 0)).max().orElse(100);
        double pad = Math.max(0.2, (hi - lo) * 0.1);
        chart.getStyler().setYAxisMin(Math.max(0, Math.floor((lo - pad) * 10) / 10))
                .setYAxisMax(Math.min(100, Math.ceil((hi + pad) * 10) / 10)).setYAxisDecimalPattern("0.0");
        // XChart puts points at shared categories: every series gets every label (no point where a group is missing).
        List<String> x = new ArrayList<>();
        for (SeedStatistics.Group g : groups) {
            if (!x.contains(label(g, xKeys))) x.add(label(g, xKeys));
        }
        chart.getStyler().setXAxisLabelRotation(x.stream().mapToInt(String::length).sum() * 7 > chart.getWidth() - 150 ? 30 : 0);
        for (Map.Entry<String, List<SeedStatistics.Group>> s : series.entrySet()) {
            // NaN, not null, where a group is missing: XChart's error-bar range skips NaN but fails on null.
            List<Double> y = new ArrayList<>(java.util.Collections.nCopies(x.size(), Double.NaN));
            List<Double> err = new ArrayList<>(java.util.Collections.nCopies(x.size(), 0.0));
            for (SeedStatistics.Group g : s.getValue()) {
                int i = x.indexOf(label(g, xKeys));
                y.set(i, g.mean());
                err.set(i, g.n() > 1 ? g.std() : 0.0);
            }
            chart.addSeries(s.getKey() + " (n=" + s.getValue().stream().mapToInt(SeedStatistics.Group::n).min().orElse(0)
                    + ")", x, y, err);
        }
        return chart;
    }

    private static String label(SeedStatistics.Group g, List<String> xKeys) {
        String l = String.join(" ", xKeys.stream().map(k -> g.key().getOrDefault(k, "")).toList());
        return l.isBlank() ? "all" : l;
    }

    private static String bits(SeedStatistics.Group g) {
        return "W" + g.key().getOrDefault("wbits", "?") + "A" + g.key().getOrDefault("abits", "?");
    }
}
