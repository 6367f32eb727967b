package genie.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A console progress bar with rate and ETA, redrawn in place with carriage returns at most a few times per
 * second so that logs and notebooks are not flooded.
 */
public final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private final boolean enabled;

    public ProgressBar(PrintStream out, String label, long total, boolean enabled) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.enabled = enabled && out != null;
    }

    /** Redraws if 250 ms passed since the last draw, or at the end. */
    public void update(long done, String extra) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 250_000_000L) {
            return;
        }
        lastDraw = now;
        double secs = (now - start) / 1e9;
        double frac = Math.min(1.0, done / (double) total);
        int width = 24;
        int filled = (int) Math.round(frac * width);
        String eta = done > 0 && done < total ? " ETA " + formatSeconds(secs / done * (total - done)) : "";
        out.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d %5.1f%% %s%s%s", label, "#".repeat(filled),
                ".".repeat(width - filled), done, total, 100 * frac, formatSeconds(secs), eta,
                extra == null || extra.isEmpty() ? "" : " " + extra));
        if (done >= total) {
            out.println();
        }
        out.flush();
    }

    public static String formatSeconds(double s) {
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", s);
        }
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
    }
}
