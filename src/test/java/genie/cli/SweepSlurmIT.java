package genie.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static genie.cli.SweepTestSupport.GRID;
import static genie.cli.SweepTestSupport.deleteTwo;
import static genie.cli.SweepTestSupport.genie;
import static genie.cli.SweepTestSupport.records;
import static genie.cli.SweepTestSupport.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * `genie sweep run --backend slurm` against a real Slurm (CI starts a one-node cluster with tools/slurm-local.sh):
 * the tiny grid as one job array, a rerun after deleting two records submits exactly those two, and scancel keeps
 * the finished cells. Skipped without a reachable cluster, except under CI=true, where that fails.
 */
class SweepSlurmIT {
    @BeforeAll
    static void needsACluster() throws Exception {
        String why = null;
        try {
            Process p = new ProcessBuilder("sinfo", "-h", "-o", "%T").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) why = "sinfo failed: " + out.strip();
            else if (out.isBlank()) why = "the cluster has no node";
        } catch (java.io.IOException e) {
            why = "Slurm is not installed (sinfo: " + e.getMessage() + ")";
        }
        if (why == null) return;
        why += "; start a one-node cluster with: sudo tools/slurm-local.sh start";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true: " + why);
        System.out.println("[SweepSlurmIT] SKIPPED: " + why);
        Assumptions.abort(why);
    }

    @Test
    void theGridRunsAsAJobArrayAndOnlyMissingCellsAreResubmitted(@TempDir Path dir) throws Exception {
        Path spec = spec(dir, GRID);
        Path records = dir.resolve("runs");
        String[] run = {"sweep", "run", spec.toString(), "--records", records.toString(), "--backend", "slurm",
            "--cpus-per-task", "1", "--wait", "--json"};
        var first = genie(dir, run);
        assertEquals(0, first.rc(), first.all());
        assertEquals(8, first.get("computed"), first.all());
        assertEquals(8, records(records).size());
        assertTrue(first.stderr().contains("submitted job array " + first.json().get("job").getAsString() + " (8 tasks)"),
                first.stderr());
        assertTrue(first.stderr().matches("(?s).*slurm job \\d+: 8/8 done, 0 failed, 0 running, 0 queued.*"), first.stderr());

        deleteTwo(records);
        var second = genie(dir, run);
        assertEquals(2, second.get("submitted"), second.all());
        assertEquals(2, second.get("computed"), second.all());
        assertEquals(6, second.get("read_back"), second.all());
        assertEquals(8, records(records).size());

        var report = genie(dir, "report", records.resolve("grid").toString());
        assertTrue(report.stdout().contains("4 group(s) of runs that differ only in the seed"), report.all());
        assertTrue(report.stdout().contains(" ± "), report.stdout());
    }

    @Test
    void scancelKeepsTheFinishedCellsAndTheNextRunSubmitsTheRest(@TempDir Path dir) throws Exception {
        Path spec = spec(dir, GRID.replace("\"seeds\": [0, 1]", "\"seeds\": [5]").replace("\"genie-d\", ", ""));
        Path records = dir.resolve("runs");
        var submitted = genie(dir, "sweep", "run", spec.toString(), "--records", records.toString(), "--backend", "slurm",
                "--workers", "1", "--json");
        assertEquals(0, submitted.rc(), submitted.all());
        assertEquals(2, submitted.get("submitted"), submitted.all());
        String job = submitted.json().get("job").getAsString();
        long deadline = System.nanoTime() + SweepTestSupport.LONG.toNanos();
        while (records(records).isEmpty() || !Files.exists(records(records).get(0).resolve("sweep-done"))) {
            if (System.nanoTime() > deadline) fail("no cell of job " + job + " finished");
            Thread.sleep(200);
        }
        Process cancel = new ProcessBuilder("scancel", job).inheritIO().start();
        assertEquals(0, cancel.waitFor());
        for (int i = 0; i < 100 && !squeue(job).isBlank(); i++) Thread.sleep(200);

        var status = genie(dir, "sweep", "status", spec.toString(), "--records", records.toString(), "--json");
        assertEquals(1, status.get("done"), status.all());
        assertEquals(1, status.get("pending"), "a cancelled cell is pending, not failed\n" + status.all());
        var rest = genie(dir, "sweep", "run", spec.toString(), "--records", records.toString(), "--backend", "slurm",
                "--wait", "--json");
        assertEquals(1, rest.get("submitted"), rest.all());
        assertEquals(1, rest.get("computed"), rest.all());
        assertEquals(1, rest.get("read_back"), rest.all());
    }

    static String squeue(String job) throws Exception {
        Process p = new ProcessBuilder(List.of("squeue", "-h", "-j", job)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.contains("Invalid job id") ? "" : out.strip();
    }
}
