package genie.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static genie.cli.SweepTestSupport.GRID;
import static genie.cli.SweepTestSupport.genie;
import static genie.cli.SweepTestSupport.records;
import static genie.cli.SweepTestSupport.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `genie sweep run --backend local` on the real command line: the tiny grid on 2 workers, interrupted and resumed;
 * a failed cell reported with its error and rerun alone by --retry-failed; the report's mean ± std.
 */
class SweepLocalIT {
    @Test
    void theGridResumesAfterCtrlCAndReportsMeanAndStd(@TempDir Path dir) throws Exception {
        Path spec = spec(dir, GRID);
        Path records = dir.resolve("runs");
        int doneBefore;
        try (GenieProcess g = GenieProcess.start(dir, "sweep", "run", spec.toString(), "--records", records.toString(),
                "--workers", "2", "--json")) {
            g.awaitStderr("[2/8] ", SweepTestSupport.LONG);
            g.interrupt();
            int rc = g.awaitExit(Duration.ofMinutes(2));
            assertEquals(Interrupts.EXIT_CODE, rc, g.output());
            assertTrue(g.stderr().contains("sweep: interrupted; stopping"), g.output());
        }
        var status = genie(dir, "sweep", "status", spec.toString(), "--records", records.toString(), "--json");
        // The cells that were running keep a record marked interrupted, which is not a result.
        doneBefore = status.get("done");
        assertTrue(doneBefore >= 2 && doneBefore < 8, status.all());
        assertEquals(0, status.get("failed"), "an interrupted cell is pending, not failed\n" + status.all());
        assertEquals(8 - doneBefore, status.get("pending"), status.all());

        var r = genie(dir, "sweep", "run", spec.toString(), "--records", records.toString(), "--workers", "2", "--json");
        assertEquals(0, r.rc(), r.all());
        assertEquals(8, r.get("cells"));
        assertEquals(8 - doneBefore, r.get("computed"), r.all());
        assertEquals(doneBefore, r.get("read_back"), r.all());
        assertEquals(0, r.get("failed"), r.all());
        assertEquals(8, records(records).size());
        assertTrue(r.stderr().contains("local: 2 worker(s)"), r.stderr());

        var report = genie(dir, "report", records.resolve("grid").toString(), "--chart", dir.resolve("c.png").toString());
        assertEquals(0, report.rc(), report.all());
        assertTrue(report.stdout().contains("4 group(s) of runs that differ only in the seed"), report.stdout());
        assertEquals(4, report.stdout().lines().filter(l -> l.matches(".*\\|\\s+2\\s+\\|\\s+0,1\\s+\\|.* ± .*")).count(),
                report.stdout());
        assertTrue(Files.size(dir.resolve("c.png")) > 1000);
    }

    @Test
    void aFailedCellIsReportedWithItsErrorAndOnlyItIsRetried(@TempDir Path dir) throws Exception {
        Path spec = spec(dir, """
                {"name": "grid", "teachers": [{"name": "ok", "model": "default"},
                    {"name": "lost", "model": "default", "weights": "missing.safetensors"}],
                 "data": ["noise"], "method": ["rtn"], "bits": ["w4a4"], "seeds": [0],
                 "budget": {"samples": 32, "synth_batch": 32, "synth_iters": 2, "recon_iters": 2, "eval_limit": 200}}
                """);
        Path records = dir.resolve("runs");
        var first = genie(dir, "sweep", "run", spec.toString(), "--records", records.toString(), "--workers", "2", "--json");
        assertEquals(1, first.rc(), "a failed cell makes the status 1\n" + first.all());
        assertEquals(1, first.get("computed"), first.all());
        assertEquals(1, first.get("failed"), first.all());
        assertTrue(first.stdout().contains("failed: lost noise rtn W4A4 seed 0"), first.all());
        assertTrue(first.stdout().contains("missing.safetensors"), "the error of the cell\n" + first.all());

        var again = genie(dir, "sweep", "run", spec.toString(), "--records", records.toString(), "--json");
        assertEquals(0, again.get("submitted"), "failed cells wait for --retry-failed\n" + again.all());
        assertEquals(1, again.get("read_back"));
        assertEquals(1, again.get("failed"));

        var retry = genie(dir, "sweep", "run", spec.toString(), "--records", records.toString(), "--retry-failed", "--json");
        assertEquals(1, retry.get("submitted"), "only the failed cell\n" + retry.all());
        assertEquals(1, retry.get("read_back"), retry.all());
        assertEquals(1, retry.get("failed"), "its weights are still missing\n" + retry.all());

        var status = genie(dir, "sweep", "status", spec.toString(), "--records", records.toString());
        assertTrue(status.stdout().matches("(?s).*failed\\s+lost noise rtn W4A4 seed 0\\s+exit 2\n.*missing.safetensors.*"),
                status.stdout());
        assertTrue(status.stdout().contains("1 done, 0 running, 0 pending, 1 failed"), status.stdout());
    }
}
