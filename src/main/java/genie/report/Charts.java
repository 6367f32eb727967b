package genie.report;

import static genie.report.ChartParts.*;

import genie.data.ImageSet;
import genie.nn.Model;
import genie.quant.ActivationQuantizer;
import genie.quant.QuantLayer;
import genie.quant.QuantizedModel;
import genie.quant.UnitReport;
import genie.quant.WeightQuantizer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Genie's pictures as XChart charts (shown inline by the notebook kernel, or saved with {@link #save}):
 * activation and weight distributions against the quantization grid, reconstruction and synthesis loss curves,
 * a unit's output before/after, BatchNorm statistics of data sets against the running statistics.
 */
public final class Charts {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 360;
    private static final Color FP32 = new Color(31, 119, 180);
    private static final Color QUANT = new Color(214, 39, 40);
    private static final Color GRID = new Color(120, 120, 120);

    private Charts() {}

    // ------------------------------------------------------------------ files

    /** PNG bytes of a chart at its own size. */
    public static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SVG text of a chart. */
    public static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Saves a chart as PNG or SVG, chosen by the file's extension ({@code .png}, {@code .svg}). */
    public static Path save(Chart<?, ?> chart, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            if (name.endsWith(".svg")) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else if (name.endsWith(".png")) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            } else {
                throw new IllegalArgumentException("chart files end in .png or .svg, got " + file);
            }
        }
        return file;
    }

    // ------------------------------------------------------------------ quantization

    /**
     * Input-activation distribution of a quantized layer: the teacher's (FP32) values and the quantized values
     * ({@code clip(round(x / s), qn, qp) * s}), with the clipping range and (for few levels) the grid drawn on it.
     * The layer's input quantizer must be initialised (after the layer's unit was reconstructed, or after a
     * forward pass with activation quantization on).
     */
    public static XYChart activationDistribution(Model teacher, QuantizedModel q, String layer, ImageSet images,
            int n) {
        QuantLayer ql = q.layer(layer);
        ActivationQuantizer aq = ql.inputQuantizer();
        float[] fp = Probes.capture(teacher, layer, images, n, false);
        XYChart chart = xy("Input activations of " + layer, "value", "density");
        if (aq == null || !aq.isInitialized()) {
            histogram(chart, "FP32", fp, 80, FP32, null, null);
            chart.setTitle(chart.getTitle() + (aq == null ? " (input stays float)" : " (quantizer not initialised yet)"));
            return chart;
        }
        float s = aq.step();
        float lo = aq.qn() * s;
        float hi = aq.qp() * s;
        float[] student = Probes.capture(q.student(), layer, images, n, false);
        float[] quant = new float[student.length];
        for (int i = 0; i < student.length; i++) {
            quant[i] = (float) (Math.max(aq.qn(), Math.min(aq.qp(), Math.rint(student[i] / s))) * s);
        }
        double[] range = range(fp, lo, hi);
        histogram(chart, "FP32", fp, 80, FP32, range[0], range[1]);
        // quantized values sit on the grid: one bar per level
        int levels = aq.qp() - aq.qn() + 1;
        double[] lx = new double[levels];
        double[] ly = new double[levels];
        for (int k = 0; k < levels; k++) {
            lx[k] = (aq.qn() + k) * s;
        }
        for (float v : quant) {
            int k = (int) Math.round(v / s) - aq.qn();
            if (k >= 0 && k < levels) {
                ly[k]++;
            }
        }
        double binWidth = (range[1] - range[0]) / 80;
        for (int k = 0; k < levels; k++) {
            ly[k] = ly[k] / Math.max(1, quant.length) / binWidth; // same scale as the FP32 density
        }
        XYSeries qs = chart.addSeries(String.format(Locale.ROOT, "A%d quantized", aq.bits()), lx, ly);
        qs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        qs.setMarker(SeriesMarkers.DIAMOND);
        qs.setMarkerColor(QUANT);
        double top = max(ly);
        vline(chart, "clip [" + fmt(lo) + ", " + fmt(hi) + "]", lo, top, QUANT);
        vline(chart, null, hi, top, QUANT);
        chart.setTitle(String.format(Locale.ROOT, "Input activations of %s: step %.4g, %d levels, clip [%s, %s], "
                + "%.1f%% clipped", layer, s, levels, fmt(lo), fmt(hi), 100.0 * clippedFraction(fp, lo, hi)));
        return chart;
    }

    /**
     * Weight distribution of a quantized layer in units of its (per-channel) step size, {@code w / s}, with the
     * weights whose softbit flipped (rounded the other way than round-to-nearest) as a second histogram.
     */
    public static XYChart weightDistribution(QuantizedModel q, String layer) {
        QuantLayer ql = q.layer(layer);
        WeightQuantizer wq = ql.weightQuantizer();
        if (wq == null) {
            throw new IllegalArgumentException(layer + " has no weights (a residual identity)");
        }
        float[] w = ql.floatWeight().toFloatArray();
        float[] scale = wq.scale().toFloatArray();
        boolean[] flips = wq.flippedSoftbits(ql.floatWeight());
        int channels = scale.length;
        int per = w.length / channels;
        float[] ws = new float[w.length];
        List<Float> flipped = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            ws[i] = w[i] / scale[Math.min(channels - 1, i / per)];
            if (flips[i]) {
                flipped.add(ws[i]);
            }
        }
        float[] fl = new float[flipped.size()];
        for (int i = 0; i < fl.length; i++) {
            fl[i] = flipped.get(i);
        }
        XYChart chart = xy(String.format(Locale.ROOT, "Weights of %s (W%d): %.1f%% of the softbits flipped", layer,
                wq.bits(), 100.0 * fl.length / Math.max(1, w.length)), "w / step (grid at integers)", "count");
        double[] r = range(ws, Float.NaN, Float.NaN);
        int bins = Math.max(20, Math.min(120, (int) Math.ceil((r[1] - r[0]) * 8)));
        histogramCounts(chart, "all weights", ws, bins, FP32, r[0], r[1]);
        if (fl.length > 0) {
            histogramCounts(chart, "flipped vs nearest", fl, bins, QUANT, r[0], r[1]);
        }
        return chart;
    }

    /** Per-iteration reconstruction loss of every unit (log scale), one curve each. */
    public static XYChart unitLosses(List<UnitReport> reports) {
        XYChart chart = xy("Reconstruction loss per unit", "iteration", "reconstruction loss");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (UnitReport r : reports) {
            if (r.recLoss().length > 0) {
                line(chart, r.name(), r.recLoss(), null);
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no iterations", new double[] {0}, new double[] {1});
        }
        return chart;
    }

    /** One unit: reconstruction loss and rounding loss per iteration. */
    public static XYChart unitLoss(UnitReport r) {
        XYChart chart = xy(String.format(Locale.ROOT, "%s: loss per iteration (MSE %.4g -> %.4g, SQNR %.1f -> %.1f dB)",
                r.name(), r.mseBefore(), r.mseAfter(), r.sqnrBefore(), r.sqnrAfter()), "iteration", "loss");
        chart.getStyler().setYAxisLogarithmic(true);
        if (r.recLoss().length == 0) {
            chart.addSeries("no iterations (" + r.iterations() + ")", new double[] {0}, new double[] {Math.max(1e-9,
                    r.mseAfter())});
            return chart;
        }
        line(chart, "reconstruction", r.recLoss(), FP32);
        float[] round = r.roundLoss();
        boolean any = false;
        for (float v : round) {
            any |= v > 0;
        }
        if (any) {
            float[] pos = new float[round.length];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = Math.max(round[i], 1e-12f);
            }
            line(chart, "rounding (x round weight)", pos, QUANT);
        }
        return chart;
    }

    /** A unit's output values: teacher, quantized before and after reconstruction. */
    public static XYChart outputDistribution(String unit, float[] teacher, float[] before, float[] after) {
        XYChart chart = xy("Output of " + unit + ": FP32 vs quantized before / after", "value", "density");
        double[] r = range(teacher, Float.NaN, Float.NaN);
        histogram(chart, "FP32 teacher", teacher, 80, FP32, r[0], r[1]);
        if (before != null) {
            histogram(chart, String.format(Locale.ROOT, "before (MSE %.4g)", mse(teacher, before)), before, 80,
                    new Color(255, 127, 14), r[0], r[1]);
        }
        if (after != null) {
            histogram(chart, String.format(Locale.ROOT, "after (MSE %.4g)", mse(teacher, after)), after, 80, QUANT,
                    r[0], r[1]);
        }
        return chart;
    }

    // ------------------------------------------------------------------ synthesis

    /** Synthesis loss per iteration, one curve per batch (log scale). */
    public static XYChart synthLoss(List<float[]> curves) {
        XYChart chart = xy("Genie-D loss (BN statistics)", "iteration", "loss");
        chart.getStyler().setYAxisLogarithmic(true);
        for (int b = 0; b < curves.size(); b++) {
            float[] c = curves.get(b);
            if (c.length > 0) {
                float[] pos = new float[c.length];
                for (int i = 0; i < c.length; i++) {
                    pos[i] = Math.max(c[i], 1e-12f);
                }
                line(chart, "batch " + b, pos, null);
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no iterations", new double[] {0}, new double[] {1});
        }
        return chart;
    }

    /**
     * BatchNorm statistics per layer: distance of each data set's batch mean and std to the running statistics
     * (what Genie-D minimises), e.g. {@code bnStatistics(teacher, Map.of("synthetic", s, "real", r, "noise", z), 64)}.
     */
    public static XYChart bnStatistics(Model teacher, java.util.Map<String, ImageSet> sets, int n) {
        XYChart chart = xy("BatchNorm statistics vs running statistics", "BatchNorm layer (model order)",
                "L2 distance to running stats");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        Color[] colors = {new Color(44, 160, 44), FP32, GRID, QUANT, new Color(148, 103, 189)};
        int i = 0;
        for (java.util.Map.Entry<String, ImageSet> e : sets.entrySet()) {
            List<Probes.BnStats> st = Probes.bnStatistics(teacher, e.getValue(), n);
            double[] x = new double[st.size()];
            double[] mean = new double[st.size()];
            double[] std = new double[st.size()];
            for (int k = 0; k < st.size(); k++) {
                x[k] = k;
                mean[k] = Math.max(1e-9, st.get(k).meanDistance());
                std[k] = Math.max(1e-9, st.get(k).stdDistance());
            }
            Color c = colors[i++ % colors.length];
            XYSeries m = chart.addSeries(e.getKey() + " mean", x, mean);
            m.setLineColor(c);
            m.setMarkerColor(c);
            m.setMarker(SeriesMarkers.CIRCLE);
            XYSeries s = chart.addSeries(e.getKey() + " std", x, std);
            s.setLineColor(c);
            s.setMarkerColor(c);
            s.setMarker(SeriesMarkers.SQUARE);
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f},
                    0f));
        }
        return chart;
    }

    /** Count of images per predicted class (e.g. of synthetic images). */
    public static CategoryChart classHistogram(int[] counts, List<String> classes) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Teacher's top-1 class")
                .xAxisTitle("class").yAxisTitle("images").build();
        List<String> names = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            names.add(classes != null && c < classes.size() ? classes.get(c) : Integer.toString(c));
            values.add(counts[c]);
        }
        chart.addSeries("images", names, values);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(45);
        return chart;
    }
}
