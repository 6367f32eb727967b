package genie.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A console progress bar with rate and ETA. On a terminal it is redrawn in place with carriage returns, at most a
 * few times per second. In a log (output redirected, a batch job, a sweep cell) frames would pile up, a line per
 * iteration; there it prints one line per tenth of the work or per minute, whichever comes first.
 */
public final class ProgressBar {
    /** {@code GENIE_PROGRESS=lines} or {@code frames} overrides the terminal detection. */
    static final String ENV = "GENIE_PROGRESS";
    private static final long FRAME_NANOS = 250_000_000L;
    private static final long LINE_NANOS = 60_000_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private final boolean enabled;
    private final boolean frames;
    private boolean drawn;
    private long lastDraw;
    private long lastTenth;

    public ProgressBar(PrintStream out, String label, long total, boolean enabled) {
        this(out, label, total, enabled, framesWanted());
    }

    ProgressBar(PrintStream out, String label, long total, boolean enabled, boolean frames) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.enabled = enabled && out != null;
        this.frames = frames;
    }

    /** Frames on a terminal (the JVM has a console), lines otherwise, unless {@value #ENV} says. */
    static boolean framesWanted() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return switch (env.trim()) {
                case "frames" -> true;
                case "lines" -> false;
                default -> throw new IllegalArgumentException(ENV + "=" + env + ": use frames or lines");
            };
        }
        return System.console() != null;
    }

    /**
     * Draws the first update, then a frame when 250 ms have passed (terminal) or a line per tenth or per minute
     * (log), and always the last.
     */
    public void update(long done, String extra) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        long tenth = Math.min(10, done * 10 / total);
        boolean due = !drawn
                || (frames ? now - lastDraw >= FRAME_NANOS : tenth > lastTenth || now - lastDraw >= LINE_NANOS);
        if (done < total && !due) {
            return;
        }
        drawn = true;
        lastDraw = now;
        lastTenth = tenth;
        double secs = (now - start) / 1e9;
        double frac = Math.min(1.0, done / (double) total);
        int width = 24;
        int filled = (int) Math.round(frac * width);
        String eta = done > 0 && done < total ? " ETA " + formatSeconds(secs / done * (total - done)) : "";
        out.print(String.format(Locale.ROOT, "%s%s [%s%s] %d/%d %5.1f%% %s%s%s", frames ? "\r" : "", label,
                "#".repeat(filled), ".".repeat(width - filled), done, total, 100 * frac, formatSeconds(secs), eta,
                extra == null || extra.isEmpty() ? "" : " " + extra));
        if (done >= total || !frames) {
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
