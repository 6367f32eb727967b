package genie.magics;

import genie.quant.ReconstructionListener;
import genie.quant.Unit;
import genie.quant.UnitReport;
import genie.report.Charts;
import genie.report.Html;
import genie.synth.SynthListener;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Live notebook feedback for reconstruction and synthesis: an HTML progress bar with ETA and a loss chart, both
 * updated in place ({@code update_display_data}) at most every {@link #intervalMs} milliseconds. Does nothing
 * outside a notebook.
 */
public final class LiveProgress implements ReconstructionListener, SynthListener {
    private final String title;
    private final long totalWork;
    private final long intervalMs;
    private final long t0 = System.nanoTime();
    private long done;
    private long lastUpdate;
    private String barId;
    private String chartId;
    private String label = "";
    private String detail = "";
    private final List<float[]> finished = new ArrayList<>();
    private final List<String> finishedNames = new ArrayList<>();
    private float[] current = new float[0];
    private int currentLen;
    private String currentName = "";
    private int updates;

    /** @param totalWork iterations expected in all (for the ETA) */
    public LiveProgress(String title, long totalWork, long intervalMs) {
        this.title = title;
        this.totalWork = Math.max(1, totalWork);
        this.intervalMs = intervalMs;
    }

    public static LiveProgress forReconstruction(Quantization q) {
        int remaining = q.units().size() - q.reports().size();
        int iters = q.config().method().reconstructs ? q.config().iterations() : 1;
        return new LiveProgress("Reconstruction (" + q.config().method() + " W" + q.config().wbits() + "A"
                + q.config().abits() + ")", (long) remaining * iters, 700);
    }

    /** Number of in-place updates sent (tests). */
    public int updates() {
        return updates;
    }

    // ---------------------------------------------------------------- reconstruction

    @Override
    public void onIteration(Unit unit, int iteration, int total, float recLoss, float roundLoss) {
        if (!unit.name().equals(currentName) || iteration == 1) {
            startCurve(unit.name(), total);
        }
        addPoint(recLoss);
        done++;
        label = String.format(Locale.ROOT, "unit %d %s: iteration %d/%d", unit.index() + 1, unit.name(), iteration,
                total);
        detail = String.format(Locale.ROOT, "rec %.4g, round %.4g", recLoss, roundLoss);
        maybeUpdate(false);
    }

    @Override
    public void onUnitDone(UnitReport r) {
        if (r.recLoss().length > 0) {
            finished.add(r.recLoss());
            finishedNames.add(r.name());
        } else {
            done++;
        }
        current = new float[0];
        currentLen = 0;
        currentName = "";
        label = String.format(Locale.ROOT, "unit %d %s done", r.index() + 1, r.name());
        detail = String.format(Locale.ROOT, "SQNR %.2f -> %.2f dB", r.sqnrBefore(), r.sqnrAfter());
        maybeUpdate(true);
    }

    // ---------------------------------------------------------------- synthesis

    @Override
    public void onBatchStart(int batch, int batches, int size) {
        startCurve("batch " + batch, 64);
    }

    @Override
    public void onIteration(int batch, int iter, double total, double meanPart, double stdPart) {
        addPoint((float) total);
        done++;
        label = String.format(Locale.ROOT, "batch %d: iteration %d", batch + 1, iter + 1);
        detail = String.format(Locale.ROOT, "loss %.4g (mean %.4g, std %.4g)", total, meanPart, stdPart);
        maybeUpdate(false);
    }

    @Override
    public void onBatchDone(int batch, genie.data.ImageSet images, int[] classHistogram, double meanConfidence) {
        finished.add(java.util.Arrays.copyOf(current, currentLen));
        finishedNames.add("batch " + batch);
        current = new float[0];
        currentLen = 0;
        label = String.format(Locale.ROOT, "batch %d done", batch + 1);
        detail = String.format(Locale.ROOT, "teacher confidence %.1f%%", 100 * meanConfidence);
        maybeUpdate(true);
    }

    // ---------------------------------------------------------------- display

    /** Final state: "done", or what an interrupt kept. */
    public void finish(String message) {
        label = message;
        detail = "";
        update(true);
    }

    private void startCurve(String name, int capacity) {
        currentName = name;
        current = new float[Math.max(1, capacity)];
        currentLen = 0;
    }

    private void addPoint(float v) {
        if (currentLen == current.length) {
            current = java.util.Arrays.copyOf(current, current.length * 2);
        }
        current[currentLen++] = v;
    }

    private void maybeUpdate(boolean force) {
        long now = System.nanoTime() / 1_000_000;
        if (force || now - lastUpdate >= intervalMs) {
            lastUpdate = now;
            update(true);
        }
    }

    private void update(boolean withChart) {
        if (!Display.active()) {
            return;
        }
        updates++;
        var bar = Display.html(html(), text());
        if (barId == null) {
            barId = Display.show(bar);
        } else {
            Display.update(barId, bar);
        }
        if (withChart) {
            XYChart chart = chart();
            if (chartId == null) {
                chartId = Display.show(chart);
            } else {
                Display.update(chartId, chart);
            }
        }
    }

    XYChart chart() {
        XYChart c = Charts.synthLoss(List.of());
        c.setTitle(title + ": loss per iteration");
        c.removeSeries("no iterations");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        for (int i = 0; i < finished.size(); i++) {
            if (finished.get(i).length > 0) {
                addCurve(c, finishedNames.get(i), finished.get(i));
            }
        }
        if (currentLen > 0) {
            addCurve(c, currentName + " (running)", java.util.Arrays.copyOf(current, currentLen));
        }
        if (c.getSeriesMap().isEmpty()) {
            c.addSeries("waiting", new double[] {1}, new double[] {1});
        }
        return c;
    }

    private static void addCurve(XYChart c, String name, float[] v) {
        double[] x = new double[v.length];
        double[] y = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = i + 1;
            y[i] = Math.max(1e-12, v[i]);
        }
        c.addSeries(name, x, y).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
    }

    private double fraction() {
        return Math.min(1.0, (double) done / totalWork);
    }

    private String eta() {
        double elapsed = (System.nanoTime() - t0) / 1e9;
        if (done == 0) {
            return "ETA --:--";
        }
        double left = elapsed / done * Math.max(0, totalWork - done);
        return String.format(Locale.ROOT, "elapsed %s, ETA %s", clock(elapsed), clock(left));
    }

    private static String clock(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%02d:%02d", t / 60, t % 60);
    }

    String text() {
        return String.format(Locale.ROOT, "%s %3.0f%% | %s | %s %s", title, 100 * fraction(), label, detail, eta());
    }

    String html() {
        return String.format(Locale.ROOT, "<div class=\"genie-progress\" style=\"font-family:monospace\"><b>%s</b> "
                + "<progress value=\"%d\" max=\"%d\" style=\"width:40%%\"></progress> %.0f%%<br/>%s &mdash; %s "
                + "<span style=\"color:#666\">(%s)</span></div>", Html.escape(title), done, totalWork, 100 * fraction(),
                Html.escape(label), Html.escape(detail), Html.escape(eta()));
    }
}
