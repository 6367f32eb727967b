package genie.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.SPIResolutionException;

/**
 * A local execution control (the same idea as JShell's LocalExecutionControl and IJava's): snippets run in this JVM,
 * each on a fresh thread of one thread group so that {@link #stop()} can kill a runaway cell, and the value of each
 * snippet is kept as a live object (not just its toString) for the renderer.
 */
final class GenieExecutionControl extends DirectExecutionControl {

    /** The class name reported for a cell that was stopped by an interrupt. */
    static final String INTERRUPTED = "Interrupted";
    static final Object NULL = new Object();

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final GenieLoaderDelegate loader;
    private final ThreadGroup group = new ThreadGroup("genie-cells");
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private volatile Thread running;
    private volatile boolean stopRequested;
    private volatile Throwable lastThrowable;

    GenieExecutionControl(GenieLoaderDelegate loader) {
        super(loader);
        this.loader = loader;
    }

    GenieLoaderDelegate loader() {
        return loader;
    }

    /** The actual throwable of the last failing snippet, with its cause chain (JShell only keeps name and frames). */
    Throwable takeLastThrowable() {
        Throwable t = lastThrowable;
        lastThrowable = null;
        return t;
    }

    Object takeResult(String key) {
        Object v = results.remove(key);
        return v == NULL ? null : v;
    }

    boolean isRunning() {
        return running != null;
    }

    /** The thread running the current snippet, or null. */
    Thread runningThread() {
        return running;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        AtomicReference<Object> value = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(group, () -> {
            try {
                value.set(doitMethod.invoke(null));
            } catch (InvocationTargetException e) {
                failure.set(e.getCause() == null ? e : e.getCause());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "genie-cell-" + THREADS.incrementAndGet());
        t.setContextClassLoader(loader.classLoader());
        t.setDaemon(true);
        stopRequested = false;
        running = t;
        try {
            t.start();
            t.join();
        } finally {
            running = null;
        }
        Throwable err = failure.get();
        if (stopRequested) {
            stopRequested = false;
            lastThrowable = null;
            throw new UserException("The cell was interrupted", INTERRUPTED,
                    err == null ? new StackTraceElement[0] : err.getStackTrace());
        }
        if (err != null) {
            if (err instanceof SPIResolutionException) {
                throw new ResolutionException(((SPIResolutionException) err).id(), err.getStackTrace());
            }
            lastThrowable = err;
            throw new UserException(String.valueOf(err.getMessage()), err.getClass().getName(), err.getStackTrace());
        }
        String key = UUID.randomUUID().toString();
        Object v = value.get();
        results.put(key, v == null ? NULL : v);
        return key;
    }

    /**
     * Stops the running cell: on Java 17 with Thread.stop (a ThreadDeath at the next safepoint, as JShell's
     * LocalExecutionControl does); where Thread.stop is gone (Java 20+) it falls back to an interrupt.
     */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void stop() {
        Thread t = running;
        if (t == null) return;
        stopRequested = true;
        try {
            t.stop();
        } catch (UnsupportedOperationException e) {
            t.interrupt();
        }
    }

    @Override
    public String toString() {
        return "GenieExecutionControl";
    }
}
