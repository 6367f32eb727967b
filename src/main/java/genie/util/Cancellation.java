package genie.util;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cancellation token for long engine loops (synthesis, reconstruction, evaluation), handed to each loop with
 * {@code withCancellation(token)}.
 *
 * <p>Loops call {@link #check()} between iterations, never inside one, so a cancelled run leaves every tensor and
 * parameter in a consistent state. Whoever owns the interrupt owns the token: the command line has one per process
 * (Ctrl-C), a notebook kernel one per kernel session (cleared before each cell). A token per owner, not one flag per
 * JVM, so that interrupting one notebook cannot stop a library user's run in the same JVM.
 */
public final class Cancellation {
    private static final Cancellation NONE = new Cancellation(false);

    private final AtomicBoolean requested = new AtomicBoolean();
    private final boolean cancellable;

    public Cancellation() {
        this(true);
    }

    private Cancellation(boolean cancellable) {
        this.cancellable = cancellable;
    }

    /** The default of every engine loop: a token nobody can cancel. */
    public static Cancellation none() {
        return NONE;
    }

    public void request() {
        if (!cancellable) {
            // Shared by every loop without a token of its own: cancelling it would stop them all.
            throw new UnsupportedOperationException("Cancellation.none() cannot be cancelled; use a token of your own");
        }
        requested.set(true);
    }

    public void clear() {
        requested.set(false);
    }

    public boolean requested() {
        return requested.get();
    }

    /** Throws {@link CancelledException} if a cancellation was requested since the last {@link #clear()}. */
    public void check() {
        if (requested.get()) {
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
