package genie.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import genie.data.ImageSetFile;
import genie.report.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C on the real command line: the first SIGINT keeps what is done and exits 130, the second ends at once.
 * Budgets are sized so that one synthesis batch or one reconstruction unit takes seconds on a laptop core: the
 * signal lands well inside the next one.
 */
class InterruptIT {
    static final Duration START = Duration.ofSeconds(180);
    static final Duration STOP = Duration.ofSeconds(60);

    @Test
    void synthWritesTheFinishedBatchAndExits130(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("partial.safetensors");
        try (GenieProcess g = GenieProcess.start(dir, "synth", "--model", "default", "--samples", "192", "--batch",
                "32", "--iters", "30", "--out", out.toString())) {
            g.awaitStderr("batch 1/6 done", START);
            g.interrupt();
            int rc = g.awaitExit(STOP);
            String err = g.stderr();
            assertEquals(Interrupts.EXIT_CODE, rc, g.output());
            assertTrue(err.contains(Interrupts.FIRST), err);
            assertTrue(err.contains("genie synth: interrupted during batch 2 of 6; kept the 32 images of 1 finished "
                    + "batch in " + out), err);
            ImageSetFile.Loaded kept = ImageSetFile.load(out);
            assertEquals(32, kept.images().size());
            assertTrue(kept.metadata().get("cancelled").getAsBoolean(), kept.metadata().toString());
        }
    }

    @Test
    void quantizeReportsTheUnitsDoneKeepsTheRecordAndExportsNothing(@TempDir Path dir) throws Exception {
        Path export = dir.resolve("q.safetensors");
        Path record = dir.resolve("record");
        try (GenieProcess g = GenieProcess.start(dir, "quantize", "--model", "default", "--data", "noise:64",
                "--iters", "300", "--eval-data", "none", "--out", export.toString(), "--record", record.toString())) {
            g.awaitStderr("unit 2/", START); // the bar of the second unit: the first is reconstructed
            g.interrupt();
            int rc = g.awaitExit(STOP);
            String err = g.stderr();
            assertEquals(Interrupts.EXIT_CODE, rc, g.output());
            assertTrue(err.matches("(?s).*genie quantize: interrupted after 1 of \\d+ units \\(conv1\\)\n.*"), err);
            assertTrue(err.contains(export + " not written: only 1 of"), err);
            assertFalse(Files.exists(export), "a partly reconstructed model was exported");
            JsonObject metrics = Record.read(record).getAsJsonObject("metrics");
            assertEquals("interrupted", metrics.get("status").getAsString());
            JsonArray done = metrics.getAsJsonArray("units_done");
            assertEquals(1, done.size());
            assertEquals("conv1", done.get(0).getAsString());
        }
    }

    @Test
    void aSecondInterruptEndsAtOnce(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("never.safetensors");
        // One batch of 768: an iteration (about a second) takes long enough that the second signal comes before the
        // first is honoured, even on a loaded machine (192 was sometimes honoured first).
        try (GenieProcess g = GenieProcess.start(dir, "synth", "--model", "default", "--samples", "768", "--batch",
                "768", "--iters", "1000", "--out", out.toString())) {
            g.awaitStderr("batch 1/1", START);
            g.interrupt();
            g.awaitStderr(Interrupts.FIRST, STOP);
            g.interrupt();
            int rc = g.awaitExit(STOP);
            String err = g.stderr();
            assertEquals(Interrupts.EXIT_CODE, rc, g.output());
            assertTrue(err.contains(Interrupts.SECOND), err);
            assertFalse(err.contains("genie synth: interrupted"), "the first interrupt was honoured first:\n" + err);
            assertFalse(Files.exists(out));
        }
    }
}
