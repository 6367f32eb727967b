package genie.report;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grouping run records by everything but the seed, and the mean ± std over each group's seeds. */
class SeedStatisticsTest {
    static JsonObject run(String method, String data, long seed, double top1, String... extraArgv) {
        String argv = String.join("\", \"", List.of("run", "--method", method, "--seed", Long.toString(seed), "--record",
                "/r/" + method + seed));
        for (String a : extraArgv) argv += "\", \"" + a;
        String synth = data.startsWith("genie") ? ", \"synth\": {\"iterations\": 500, \"seed\": " + seed + "}" : "";
        return JsonParser.parseString("{\"kind\": \"run\", \"seed\": " + seed + ", \"config\": {\"command\": \"run\", "
                + "\"model\": \"m\", \"data\": \"" + data + "\", \"method\": \"" + method + "\", \"wbits\": 4, \"abits\": 4, "
                + "\"seed\": " + seed + synth + ", \"argv\": [\"" + argv + "\"]}, \"metrics\": {\"quant_top1\": " + top1
                + ", \"seconds_quant\": 2.0}}").getAsJsonObject();
    }

    @Test
    void recordsThatDifferOnlyInTheSeedAreOneGroup() {
        var groups = SeedStatistics.groups(List.of(run("genie", "genie-d", 0, 88), run("genie", "genie-d", 1, 90),
                run("genie", "genie-d", 2, 89), run("rtn", "genie-d", 0, 80), run("rtn", "real", 0, 70)));
        assertEquals(3, groups.size());
        SeedStatistics.Group g = groups.get(0);
        assertEquals(List.of(0L, 1L, 2L), g.seeds());
        assertEquals(89.0, g.mean(), 1e-12);
        assertEquals(1.0, g.std(), 1e-12); // sample std of 88, 90, 89
        assertEquals("89.00 ± 1.00", g.meanStd());
        assertEquals("80.00", groups.get(1).meanStd(), "one run: no spread to show");
        assertTrue(Double.isNaN(groups.get(1).std()));
    }

    @Test
    void anOptionOnlyTheCommandLineShowsKeepsGroupsApart() {
        var groups = SeedStatistics.groups(List.of(run("genie", "real", 0, 88), run("genie", "real", 1, 88),
                run("genie", "real", 0, 91, "--recon-batch", "16"), run("genie", "real", 1, 93, "--recon-batch", "16")));
        assertEquals(2, groups.size());
        assertEquals(92.0, groups.get(1).mean(), 1e-12);
        assertTrue(SeedStatistics.distinguishing(groups).contains("argv"));
    }

    @Test
    void interruptedRunsAndRunsWithoutAccuracyAreLeftOut() {
        JsonObject interrupted = run("genie", "real", 3, 10);
        interrupted.getAsJsonObject("metrics").addProperty("status", "interrupted");
        JsonObject synth = JsonParser.parseString("{\"kind\": \"synth\", \"config\": {}, \"metrics\": {\"loss\": 1}}")
                .getAsJsonObject();
        var groups = SeedStatistics.groups(List.of(run("genie", "real", 0, 88), interrupted, synth));
        assertEquals(1, groups.size());
        assertEquals(1, groups.get(0).n());
    }

    @Test
    void theTableShowsWhatTellsGroupsApartAndTheChartHasErrorBars(@TempDir Path dir) throws Exception {
        int i = 0;
        for (JsonObject r : List.of(run("genie", "genie-d", 0, 88), run("genie", "genie-d", 1, 90), run("rtn", "real", 0, 70),
                run("rtn", "real", 1, 72))) {
            Record.of("run").config(Map.of()).write(dir.resolve("r" + i++)); // folders first, then the real record
            java.nio.file.Files.writeString(dir.resolve("r" + (i - 1)).resolve(Record.FILE), r.toString());
        }
        var groups = SeedStatistics.of(List.of(dir));
        Table t = SeedStatistics.table(groups);
        assertEquals(List.of("model", "data", "method", "wbits", "abits", "n", "seeds", "top-1 % mean", "top-1 % std",
                "top-1 % (mean ± std)", "quantize s mean"), t.columnNames());
        assertEquals("89.00 ± 1.41", t.stringColumn("top-1 % (mean ± std)").get(0));
        assertEquals("0,1", t.stringColumn("seeds").get(1));
        assertFalse(t.columnNames().contains("synth.iterations"), "only synthesized runs have it");
        var chart = SeedChart.of(groups, "t");
        assertEquals(1, chart.getSeriesMap().size());
        var series = chart.getSeriesMap().values().iterator().next();
        assertEquals(Math.sqrt(2), series.getExtraValues().iterator().next().doubleValue(), 1e-9,
                "error bar = std");
        // Dots and whiskers on an axis zoomed to the data (70-1.41 .. 89+1.41, padded), not bars from zero.
        assertEquals(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Scatter,
                chart.getStyler().getDefaultSeriesRenderStyle());
        assertTrue(chart.getStyler().getYAxisMin() > 60 && chart.getStyler().getYAxisMin() < 68.59,
                "y from " + chart.getStyler().getYAxisMin());
        assertTrue(chart.getStyler().getYAxisMax() > 90.41 && chart.getStyler().getYAxisMax() < 100,
                "y to " + chart.getStyler().getYAxisMax());
        assertTrue(Charts.png(chart).length > 1000);
    }

    @Test
    void aChartWhoseSeriesMissSomeCategoriesStillRenders() {
        // W2A4 has only genie, W4A4 only rtn: each series lacks the other's category (a sweep in progress).
        JsonObject a = run("genie", "genie-d", 0, 88);
        JsonObject b = run("genie", "genie-d", 1, 90);
        JsonObject c = run("rtn", "real", 0, 70);
        JsonObject d = run("rtn", "real", 1, 72);
        for (JsonObject r : List.of(a, b)) r.getAsJsonObject("config").addProperty("wbits", 2);
        var chart = SeedChart.of(SeedStatistics.groups(List.of(a, b, c, d)), "t");
        assertEquals(2, chart.getSeriesMap().size());
        assertTrue(Charts.png(chart).length > 1000);
    }

    @Test
    void aSwitchAddedLaterAtItsOffValueGroupsWithRecordsMadeBeforeIt() {
        JsonObject old = run("genie", "genie-d", 0, 88);
        JsonObject off = run("genie", "genie-d", 1, 90);
        JsonObject on = run("genie", "genie-d", 2, 80);
        JsonObject effectiveOff = JsonParser.parseString("{\"synth\": {\"lowpass\": 0.0, \"synth_augment\": false, "
                + "\"bn_global\": false, \"label_ce\": 0.0}, \"quant\": {\"recon_schedule\": \"paper\"}}").getAsJsonObject();
        off.getAsJsonObject("config").add("config", effectiveOff);
        JsonObject effectiveOn = effectiveOff.deepCopy();
        effectiveOn.getAsJsonObject("synth").addProperty("lowpass", 0.5);
        on.getAsJsonObject("config").add("config", effectiveOn);
        var groups = SeedStatistics.groups(List.of(old, off, on));
        assertEquals(2, groups.size());
        assertEquals(List.of(0L, 1L), groups.get(0).seeds());
        assertEquals("0.5", groups.get(1).key().get("config.synth.lowpass"));
    }
}
