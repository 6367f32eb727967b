package genie.kernel;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import genie.util.Cancellation;

/**
 * Which cell an interrupt applies to, and how it is stopped: first the kernel session's token is cancelled so engine
 * loops stop cleanly between iterations, then {@link InterruptWatchdog} stops the cell thread if it does not stop by
 * itself in time. A second interrupt of the same cell stops it without waiting.
 */
final class CellInterrupts {
    private final Cancellation token;
    private final Supplier<CellEvaluator> evaluator;
    private final long engineGraceMs;
    private final AtomicLong cellIds = new AtomicLong();
    private volatile long runningCell = -1;
    private volatile long interruptedCell = -1;
    private volatile InterruptWatchdog watchdog;

    /** {@code evaluator}: the cell evaluator, or null while JShell still starts. */
    CellInterrupts(Cancellation token, Supplier<CellEvaluator> evaluator, long engineGraceMs) {
        this.token = token;
        this.evaluator = evaluator;
        this.engineGraceMs = engineGraceMs;
    }

    /** A new cell starts: the token is cleared, and from here on an interrupt applies to this cell. */
    long begin() {
        token.clear();
        long cell = cellIds.incrementAndGet();
        runningCell = cell;
        return cell;
    }

    /** Whether {@code cell} was interrupted before JShell was ready to run it. */
    boolean interrupted(long cell) {
        return interruptedCell == cell;
    }

    void end() {
        runningCell = -1;
    }

    boolean running() {
        return runningCell >= 0;
    }

    /** Returns at once; the watchdog runs on a thread of its own. */
    void interrupt() {
        long cell = runningCell;
        if (cell < 0) return;
        InterruptWatchdog current = watchdog;
        if (interruptedCell == cell && current != null) {
            current.escalate();
            return;
        }
        interruptedCell = cell;
        token.request();
        CellEvaluator ev = evaluator.get();
        if (ev == null) return; // still starting: the cell is dropped once JShell is ready
        ev.markInterrupted();
        GenieExecutionControl control = ev.control();
        InterruptWatchdog w = new InterruptWatchdog(
                () -> control != null && InterruptWatchdog.inEngine(control.runningThread()),
                () -> runningCell == cell, () -> ev.shell().stop(), engineGraceMs);
        watchdog = w;
        Thread t = new Thread(() -> {
            try {
                w.run();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                System.err.println("genie-kernel: stopping the cell failed: " + e);
            } finally {
                if (watchdog == w) watchdog = null;
            }
        }, "genie-interrupt");
        t.setDaemon(true);
        t.start();
    }

    /** Shutting down: a running cell is cancelled and stopped at once. */
    void stopNow(CellEvaluator ev) {
        if (running() && ev != null) {
            token.request();
            ev.shell().stop();
        }
    }
}
