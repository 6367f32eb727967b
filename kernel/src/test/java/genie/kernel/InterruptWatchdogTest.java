package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class InterruptWatchdogTest {

    /** A cell that stops when hard-stopped, or by itself after {@code selfStopMs}. */
    private static long timeToStop(boolean cooperative, long selfStopMs, long graceMs, AtomicInteger stops)
            throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        long t0 = System.currentTimeMillis();
        Thread cell = new Thread(() -> {
            try {
                Thread.sleep(selfStopMs);
            } catch (InterruptedException ignored) {
                // hard stop
            }
            running.set(false);
        });
        cell.start();
        new InterruptWatchdog(() -> cooperative, running::get, () -> {
            stops.incrementAndGet();
            cell.interrupt();
        }, graceMs).run();
        cell.join();
        return System.currentTimeMillis() - t0;
    }

    @Test
    void plainCodeIsStoppedAfterTheShortGrace() throws InterruptedException {
        AtomicInteger stops = new AtomicInteger();
        long took = timeToStop(false, 60_000, 30_000, stops);
        assertEquals(1, stops.get());
        assertTrue(took >= InterruptWatchdog.SHORT_GRACE_MS && took < 3_000, took + " ms");
    }

    @Test
    void engineCodeThatStopsWithinTheGraceIsNeverStoppedHard() throws InterruptedException {
        AtomicInteger stops = new AtomicInteger();
        long took = timeToStop(true, 1_500, 30_000, stops);
        assertEquals(0, stops.get(), "a cooperating iteration of 1.5 s was stopped hard");
        assertTrue(took >= 1_500, took + " ms");
    }

    @Test
    void engineCodeThatOverrunsTheGraceIsStoppedOnce() throws InterruptedException {
        AtomicInteger stops = new AtomicInteger();
        long took = timeToStop(true, 60_000, 800, stops);
        assertEquals(1, stops.get());
        assertTrue(took >= 800 && took < 5_000, took + " ms");
    }

    @Test
    void aSecondInterruptStopsAtOnce() throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong stoppedAt = new AtomicLong();
        InterruptWatchdog w = new InterruptWatchdog(() -> true, running::get, () -> {
            stoppedAt.set(System.currentTimeMillis());
            running.set(false);
        }, 60_000);
        long t0 = System.currentTimeMillis();
        Thread t = new Thread(() -> {
            try {
                w.run();
            } catch (InterruptedException ignored) {
                // test ends
            }
        });
        t.start();
        Thread.sleep(200);
        w.escalate();
        t.join(5_000);
        assertFalse(t.isAlive());
        assertTrue(stoppedAt.get() - t0 < 2_000, "escalation waited " + (stoppedAt.get() - t0) + " ms");
    }

    @Test
    void graceComesFromThePropertyAndABadValueIsAnError() {
        String key = InterruptWatchdog.GRACE_PROPERTY;
        String old = System.getProperty(key);
        try {
            System.setProperty(key, "2.5");
            assertEquals(2_500, InterruptWatchdog.engineGraceMs());
            System.setProperty(key, "soon");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, InterruptWatchdog::engineGraceMs);
            assertTrue(e.getMessage().contains("'soon'"), e.getMessage());
            System.clearProperty(key);
            if (System.getenv(InterruptWatchdog.GRACE_ENV) == null) {
                assertEquals(InterruptWatchdog.DEFAULT_ENGINE_GRACE_S * 1000, InterruptWatchdog.engineGraceMs());
            }
        } finally {
            if (old == null) System.clearProperty(key);
            else System.setProperty(key, old);
        }
    }

    @Test
    void aTestThreadIsNotInTheEngine() {
        assertFalse(InterruptWatchdog.inEngine(Thread.currentThread()));
        assertFalse(InterruptWatchdog.inEngine(null));
    }
}
