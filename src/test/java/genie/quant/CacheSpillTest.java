package genie.quant;

import genie.nn.HookHandle;
import genie.nn.Model;
import genie.testing.TinyModels;
import genie.util.Cancellation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static genie.quant.CancelledStepTest.CALIBRATION;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A reconstruction whose caches spill to disk computes what one holding them in memory computes, keeps to its
 * estimate, and leaves no spill file open after a unit, a cancellation or an error.
 */
class CacheSpillTest {
    @TempDir
    Path spill;

    private record Run(List<UnitReport> reports, float[] logits, List<CachePlan> plans) {}

    private static Run run(CacheBudget budget) {
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, CancelledStepTest.config())) {
            Reconstruction r = new Reconstruction(t, q, CALIBRATION).withCacheBudget(budget);
            List<UnitReport> reports = r.run();
            return new Run(reports, CancelledStepTest.logits(q), r.cachePlans());
        }
    }

    @Test
    void spilledCachesGiveTheSameLossesAndLogitsAsCachesInMemory() {
        Run memory = run(CacheBudget.unlimited());
        assertTrue(memory.plans.stream().noneMatch(CachePlan::spills));
        long largestImage = memory.plans.stream().mapToLong(CachePlan::bytesPerImage).max().orElseThrow();
        // Nothing in memory; then 20 of the 48 images of the largest unit, so minibatches mix memory and disk rows.
        for (CacheBudget b : List.of(new CacheBudget(0, spill, "0"), new CacheBudget(20 * largestImage, spill,
                "part"))) {
            Run spilled = run(b);
            assertTrue(spilled.plans.stream().anyMatch(CachePlan::spills), b + " spills nothing");
            if (b.bytes() > 0) {
                assertTrue(spilled.plans.stream().anyMatch(p -> p.inMemory() > 0 && p.spills()),
                        "no unit holds part of its cache in memory");
            }
            for (CachePlan p : spilled.plans) {
                assertTrue(p.memoryBytes() <= b.bytes(), p + " is over the budget " + b);
            }
            assertEquals(memory.reports.size(), spilled.reports.size());
            for (int i = 0; i < memory.reports.size(); i++) {
                UnitReport m = memory.reports.get(i);
                UnitReport s = spilled.reports.get(i);
                assertArrayEquals(m.recLoss(), s.recLoss(), m.name() + " reconstruction loss with " + b);
                assertArrayEquals(m.roundLoss(), s.roundLoss(), m.name() + " rounding loss with " + b);
                assertEquals(m.mseAfter(), s.mseAfter(), 0.0, m.name() + " output error with " + b);
            }
            assertArrayEquals(memory.logits, spilled.logits, "final logits with " + b);
        }
    }

    @Test
    void thePlanCountsTheTensorsTheMethodReadsAndWholeImagesWithinTheBudget() {
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, CancelledStepTest.config())) {
            List<CachePlan> genie = UnitCache.plan(t, q.units(), CALIBRATION, Method.GENIE, CacheBudget.unlimited());
            List<CachePlan> brecq = UnitCache.plan(t, q.units(), CALIBRATION, Method.BRECQ, new CacheBudget(1000,
                    spill, "1000"));
            for (int i = 0; i < genie.size(); i++) {
                CachePlan g = genie.get(i);
                CachePlan b = brecq.get(i);
                assertEquals(List.of("x", "x_q", "y"), g.tensors(), "QDrop mixes the teacher's input in");
                assertEquals(List.of("x_q", "y"), b.tensors(), "without QDrop the teacher's input is not read");
                assertEquals(g.rowBytes()[1], b.rowBytes()[0]);
                assertEquals(CALIBRATION.size() * g.bytesPerImage(), g.totalBytes());
                assertEquals(Math.min(CALIBRATION.size(), 1000 / b.bytesPerImage()), b.inMemory());
            }
        }
    }

    /** Spill files this process holds open in {@code spill} (they are unlinked at once, so only /proc sees them). */
    private long openSpillFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return ""; // closed while listing
                }
            }).filter(l -> l.startsWith(spill.toString()) && l.contains("genie-cache-")).count();
        }
    }

    @Test
    void spillFilesAreClosedAfterAUnitACancellationAndAnError() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc to see open files");
        CacheBudget none = new CacheBudget(0, spill, "0");
        List<Long> openWhileOptimising = new ArrayList<>();
        Function<Integer, ReconstructionListener> probe = failAt -> new ReconstructionListener() {
            @Override
            public void onIteration(Unit u, int iteration, int total, float rec, float round) {
                try {
                    openWhileOptimising.add(openSpillFiles());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                if (iteration == failAt) {
                    throw new IllegalStateException("failure injected at iteration " + failAt);
                }
            }
        };
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, CancelledStepTest.config())) {
            Cancellation token = new Cancellation();
            Reconstruction r = new Reconstruction(t, q, CALIBRATION).withCacheBudget(none).withCancellation(token);

            r.addListener(probe.apply(-1));
            r.step();
            assertEquals(3L, openWhileOptimising.get(0), "x, x_q and y spilled while the unit trained");
            assertEquals(0L, openSpillFiles(), "after a finished unit");

            ReconstructionListener failing = probe.apply(3);
            r.addListener(failing);
            assertThrows(IllegalStateException.class, r::step);
            assertEquals(0L, openSpillFiles(), "after an error while optimising");

            HookHandle cancelWhileCaching = r.units().get(1).module().addForwardHook((m, in, out) -> token.request());
            assertThrows(Cancellation.CancelledException.class, r::step);
            cancelWhileCaching.close();
            token.clear();
            assertEquals(0L, openSpillFiles(), "after a cancellation while caching");

            assertEquals(1, r.position());
            try (Stream<Path> left = Files.list(spill)) {
                assertFalse(left.findAny().isPresent(), "a spill file kept its name");
            }
        }
    }
}
