package genie.report;

import com.google.gson.JsonObject;
import genie.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run records: the folder layout, aggregation into one table, and the CLI's --record and report. */
class RecordTest {

    @Test
    void builderWritesConfigMetricsVersionsCurvesAndPlots(@TempDir Path tmp) throws Exception {
        Path dir = Record.of("script").config(Map.of("method", "genie", "wbits", 2, "abits", 4, "seed", 7))
                .metrics(Map.of("quant_top1", 81.25, "units", List.of(Map.of("unit", "layer1.0", "rec_loss", 0.5))))
                .curve("rec:layer1.0", new float[] {3, 2, 1})
                .plot("synth", Charts.synthLoss(List.of(new float[] {3, 2, 1})))
                .table("t", Tables.results(List.of(new ResultRow("genie", 2, 4, "noise", 8, 2, 50, 10, 1))))
                .write(tmp.resolve("r1"));
        for (String f : List.of("record.json", "config.json", "metrics.json", "losses.csv", "plots/synth.png",
                "tables/t.csv")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        JsonObject rec = Record.read(dir);
        assertEquals("script", rec.get("kind").getAsString());
        assertEquals(7, rec.get("seed").getAsLong());
        assertEquals(81.25, rec.getAsJsonObject("metrics").get("quant_top1").getAsDouble());
        JsonObject versions = rec.getAsJsonObject("versions");
        for (String k : List.of("genie", "java", "djl", "pytorch")) assertTrue(versions.has(k), k);
        List<String> csv = Files.readAllLines(dir.resolve("losses.csv"));
        assertEquals(List.of("curve,step,value", "rec:layer1.0,0,3.0", "rec:layer1.0,1,2.0", "rec:layer1.0,2,1.0"), csv);
        byte[] png = Files.readAllBytes(dir.resolve("plots/synth.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void metricsAreReusedOnlyForTheSameConfig(@TempDir Path tmp) throws Exception {
        Map<String, Object> cfg = Map.of("data", "noise", "method", "genie", "wbits", 2, "recon_iters", 500,
                "budget", "full", "lr", 0.004);
        assertTrue(Record.metricsIfSame(tmp.resolve("cell"), cfg).isEmpty(), "nothing there yet");
        Record.of("notebook:04").config(cfg).metrics(Map.of("quant_top1", 91.25)).write(tmp.resolve("cell"));
        assertEquals(91.25, Record.metricsIfSame(tmp.resolve("cell"), new java.util.TreeMap<>(cfg)).orElseThrow()
                .get("quant_top1").getAsDouble());
        Map<String, Object> other = new java.util.HashMap<>(cfg);
        other.put("recon_iters", 2000);
        assertTrue(Record.metricsIfSame(tmp.resolve("cell"), other).isEmpty(), "other settings are redone");
        other.remove("recon_iters");
        assertTrue(Record.metricsIfSame(tmp.resolve("cell"), other).isEmpty(), "a missing key is a difference");
    }

    @Test
    void staticWriteAndTableOverManyRecords(@TempDir Path tmp) throws Exception {
        Record.write(tmp.resolve("runs/a"), Map.of("method", "rtn", "wbits", 4, "seed", 0), Map.of("quant_top1", 70.0));
        Record.write(tmp.resolve("runs/b"), "notebook:04", Map.of("method", "genie", "wbits", 4, "seed", 0),
                Map.of("quant_top1", 80.5, "note", "x"));
        Table t = RecordTable.of(List.of(tmp.resolve("runs")));
        assertEquals(2, t.rowCount());
        assertEquals(List.of("a", "b"), t.stringColumn("record").asList());
        assertEquals(List.of("rtn", "genie"), t.stringColumn("method").asList());
        assertEquals(80.5, t.doubleColumn("quant_top1").get(1));
        assertTrue(t.columnNames().indexOf("method") < t.columnNames().indexOf("quant_top1"));
        assertEquals("", t.stringColumn("note").get(0));
        assertEquals("notebook:04", t.stringColumn("kind").get(1));
    }

    @Test
    void tableOverRecordsNamedRelativeToTheWorkingFolder() throws Exception {
        // Notebooks keep their records in runs/ beside them: a relative root must list as well as an absolute one.
        Path runs = Path.of("target", "relative-records-" + System.nanoTime(), "runs");
        Record.write(runs.resolve("a"), Map.of("method", "rtn", "seed", 0), Map.of("quant_top1", 70.0));
        Record.write(runs.resolve("b"), Map.of("method", "genie", "seed", 0), Map.of("quant_top1", 80.0));
        Table t = RecordTable.of(List.of(runs));
        assertEquals(List.of("a", "b"), t.stringColumn("record").asList());
        assertEquals(List.of("a", "b"), RecordTable.of(List.of(runs.toAbsolutePath())).stringColumn("record").asList());
    }

    @Test
    void cliQuantizeRecordsAndReportAggregates(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("runs/q1");
        String out = run("quantize", "--model", "default", "--data", "noise:16", "--wbits", "4", "--abits", "4",
                "--method", "genie", "--iters", "2", "--recon-batch", "8", "--eval-data", "none", "--seed", "3",
                "--record", rec.toString());
        assertTrue(out.contains("record: " + rec), out);
        JsonObject r = Record.read(rec);
        assertEquals("quantize", r.get("kind").getAsString());
        assertEquals(3, r.get("seed").getAsLong());
        assertEquals("genie", r.getAsJsonObject("config").get("method").getAsString());
        assertEquals("noise:16", r.getAsJsonObject("config").get("data").getAsString());
        assertTrue(r.getAsJsonObject("metrics").has("seconds_quant"));
        List<String> losses = Files.readAllLines(rec.resolve("losses.csv"));
        assertTrue(losses.stream().anyMatch(l -> l.startsWith("rec:")), losses.toString());
        assertTrue(Files.isRegularFile(rec.resolve("plots/unit_losses.png")));
        Record.write(tmp.resolve("runs/manual"), Map.of("method", "rtn", "wbits", 4), Map.of("quant_top1", 1.5));

        Path csv = tmp.resolve("all.csv");
        Path html = tmp.resolve("all.html");
        String report = run("report", tmp.resolve("runs").toString(), "--csv", csv.toString(), "--html", html.toString());
        assertTrue(report.contains("2 record(s)"), report);
        assertTrue(report.contains("q1") && report.contains("manual"), report);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("record,kind,seed,"), lines.get(0));
        assertTrue(Files.readString(html).contains("<th>method</th>"));
        assertFalse(run("report", tmp.resolve("nothing-here").toString()).contains("record(s)"));
    }

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            Main.commandLine().execute(args);
        } finally {
            System.setOut(old);
        }
        String s = buf.toString();
        old.print(s);
        return s;
    }
}
