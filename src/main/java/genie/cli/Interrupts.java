package genie.cli;

import genie.util.Cancellation;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C on the command line ({@code genie synth|quantize|run|...} and {@code genie script}): the first SIGINT asks the
 * running loop to stop at its next iteration boundary, so the command can keep and report what is done and exit
 * {@value #EXIT_CODE}; the second ends the JVM at once.
 *
 * <p>A signal handler, not a shutdown hook: the JVM halts as soon as its shutdown hooks return, which loses the
 * finished work. The signal belongs to the process, so the token it cancels does too: commands hand
 * {@link #cancellation()} to the engine loops they start.
 */
public final class Interrupts {
    /** The shell's code for "ended by SIGINT" (128 + 2). */
    public static final int EXIT_CODE = 130;
    static final String FIRST = "interrupt: finishing the current iteration, then keeping what is done; "
            + "Ctrl-C again to stop now";
    static final String SECOND = "interrupt: stopping now";

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final Cancellation TOKEN = new Cancellation();

    private Interrupts() {}

    /**
     * Handles SIGINT as described above. False where SIGINT stays as it was: ignored because the parent asked for
     * it (nohup, a background job of a non-interactive shell), where the JVM cannot install a handler then, or
     * taken by the JVM itself ({@code -Xrs}).
     */
    public static boolean install(PrintStream err) {
        return install(err, () -> {});
    }

    /**
     * As {@link #install(PrintStream)}, and runs {@code alsoOnFirst} after requesting cancellation on the first
     * interrupt (the script runner uses it to stop the running cell between statements).
     */
    public static boolean install(PrintStream err, Runnable alsoOnFirst) {
        try {
            return Signal.handle(new Signal("INT"), s -> onSignal(err, alsoOnFirst)) != SignalHandler.SIG_IGN;
        } catch (IllegalArgumentException e) {
            return false; // the JVM's own handling stays: Ctrl-C ends it at once
        }
    }

    /** The process's token, cancelled by the first Ctrl-C and never cleared. */
    public static Cancellation cancellation() {
        return TOKEN;
    }

    private static void onSignal(PrintStream err, Runnable alsoOnFirst) {
        if (COUNT.incrementAndGet() == 1) {
            TOKEN.request();
            alsoOnFirst.run();
            // A progress bar may own the current line.
            err.println();
            err.println(FIRST);
            err.flush();
        } else {
            err.println();
            err.println(SECOND);
            err.flush();
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}
