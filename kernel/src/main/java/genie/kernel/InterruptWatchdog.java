package genie.kernel;

import java.util.function.BooleanSupplier;

/**
 * Decides when an interrupted cell is stopped hard, after the session's cancellation token has asked it to
 * stop. Plain notebook code never checks cancellation, so it is stopped after {@link #SHORT_GRACE_MS}. Code that is
 * inside the Genie engine (a frame of a {@code genie.*} class other than the kernel's) stops at its next iteration
 * boundary, where it rolls back cleanly; it gets {@link #engineGraceMs()} (default 30 s, more than an ImageNet-shape
 * Genie-D iteration on a CPU) before the hard stop. A second interrupt stops at once.
 *
 * <p>The hard stop ({@code Thread.stop}) is repeated only every {@link #RESTOP_MS}: stopping again at once could land
 * in the catch or finally block that is rolling the engine's state back.
 */
final class InterruptWatchdog {

    static final long SHORT_GRACE_MS = 400;
    static final long DEFAULT_ENGINE_GRACE_S = 30;
    static final long RESTOP_MS = 5_000;
    static final int MAX_STOPS = 4;
    /** System property, then environment variable, for the engine grace in seconds. */
    static final String GRACE_PROPERTY = "genie.interrupt.grace.seconds";
    static final String GRACE_ENV = "GENIE_INTERRUPT_GRACE_S";

    private final BooleanSupplier cooperative;
    private final BooleanSupplier cellRunning;
    private final Runnable hardStop;
    private final long engineGraceMs;
    private volatile boolean urgent;

    /** {@code cooperative}: whether the cell is, right now, in code that checks for cancellation ({@link #inEngine}). */
    InterruptWatchdog(BooleanSupplier cooperative, BooleanSupplier cellRunning, Runnable hardStop, long engineGraceMs) {
        this.cooperative = cooperative;
        this.cellRunning = cellRunning;
        this.hardStop = hardStop;
        this.engineGraceMs = engineGraceMs;
    }

    /** The engine grace from {@value #GRACE_PROPERTY} or {@value #GRACE_ENV}; a bad value is an error, not ignored. */
    static long engineGraceMs() {
        String v = System.getProperty(GRACE_PROPERTY, System.getenv(GRACE_ENV));
        if (v == null || v.isBlank()) return DEFAULT_ENGINE_GRACE_S * 1000;
        try {
            double s = Double.parseDouble(v.strip());
            if (s >= 0 && !Double.isInfinite(s)) return (long) (s * 1000);
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(GRACE_PROPERTY + "/" + GRACE_ENV + " must be a number of seconds >= 0, got '"
                + v + "'");
    }

    /** A further interrupt of the same cell: stop without waiting. */
    void escalate() {
        urgent = true;
    }

    /** Waits while the cell may still stop by itself, then stops it; returns when the cell is over or gave up. */
    void run() throws InterruptedException {
        long start = System.currentTimeMillis();
        while (cellRunning.getAsBoolean() && !urgent) {
            long waited = System.currentTimeMillis() - start;
            long grace = cooperative.getAsBoolean() ? engineGraceMs : SHORT_GRACE_MS;
            if (waited >= grace) break;
            Thread.sleep(20);
        }
        for (int i = 0; i < MAX_STOPS && cellRunning.getAsBoolean(); i++) {
            hardStop.run();
            long until = System.currentTimeMillis() + RESTOP_MS;
            while (cellRunning.getAsBoolean() && System.currentTimeMillis() < until) Thread.sleep(20);
        }
    }

    /** Whether the thread is running Genie engine code, which checks for cancellation between iterations. */
    static boolean inEngine(Thread t) {
        if (t == null) return false;
        for (StackTraceElement f : t.getStackTrace()) {
            String c = f.getClassName();
            if (c.startsWith("genie.") && !c.startsWith("genie.kernel.")) return true;
        }
        return false;
    }
}
