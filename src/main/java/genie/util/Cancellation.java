package genie.util;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cooperative cancellation for long engine loops (synthesis, reconstruction, evaluation).
 *
 * <p>Loops call {@link #check()} between iterations, never inside one, so a cancelled run leaves every
 * tensor and parameter in a consistent state. A notebook kernel calls {@link #request()} on an interrupt
 * and {@link #clear()} before the next cell; a console run wires it to Ctrl-C.
 */
public final class Cancellation {
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();

    private Cancellation() {}

    public static void request() {
        REQUESTED.set(true);
    }

    public static void clear() {
        REQUESTED.set(false);
    }

    public static boolean requested() {
        return REQUESTED.get();
    }

    /** Throws {@link CancelledException} if a cancellation was requested since the last {@link #clear()}. */
    public static void check() {
        if (REQUESTED.get()) {
            throw new CancelledException("cancelled by the user (interrupt); work done so far is kept");
        }
    }

    /** Thrown at an iteration boundary after {@link #request()}. */
    public static final class CancelledException extends RuntimeException {
        public CancelledException(String message) {
            super(message);
        }
    }
}
