package genie.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executes the tutorial notebooks 01, 02, 04 and 05 headless with the packaged kernel (nbconvert, smoke budget) and
 * checks their outputs: no error, the expected PNGs and HTML tables, the key numbers in range, and the run records
 * they write. Needs jupyter-nbconvert and Fashion-MNIST; skipped without them unless CI=true.
 */
class TutorialNotebooksIT {
    @TempDir
    static Path tmp;
    static Path root;
    static Map<String, String> env;

    /** The notebook machinery, or a reason to skip (a failure under CI=true). */
    static String missing() {
        if (!Files.isExecutable(Path.of(GenieKernelIT.JUPYTER + "-nbconvert"))) {
            return GenieKernelIT.JUPYTER + "-nbconvert is missing (apt-get install jupyter-nbconvert python3-nbclient)";
        }
        if (!Files.isDirectory(Path.of(System.getenv().getOrDefault("GENIE_FASHION_MNIST",
                "/usr/share/datasets/fashion-mnist")))) {
            return "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)";
        }
        return null;
    }

    static void skipOrFail(String why, String test) {
        if (why == null) return;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError("CI=true: " + why);
        System.out.println("[" + test + "] SKIPPED: " + why);
        Assumptions.abort(why);
    }

    /** Installs the kernelspec into a temp prefix; returns the environment nbconvert needs. */
    static Map<String, String> installKernel(Path kernelDir, Path tmp) throws Exception {
        Path prefix = tmp.resolve("prefix");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var install = GenieKernelIT.run(List.of(java, "-cp", kernelDir.resolve("target/classes") + File.pathSeparator
                + kernelDir.resolve("target/lib") + File.separator + "*", "genie.kernel.Cli", "kernel", "install",
                "--prefix", prefix.toString()), kernelDir, Map.of(), 120);
        assertEquals(0, install.rc(), install.output());
        Map<String, String> e = new HashMap<>(Map.of("JUPYTER_PATH", prefix.resolve("share/jupyter").toString(),
                "JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString(), "JUPYTER_PLATFORM_DIRS", "1",
                "PYTHONDONTWRITEBYTECODE", "1"));
        return e;
    }

    static JsonObject execute(Path root, String name, Map<String, String> env, Path out) throws Exception {
        var r = GenieKernelIT.run(List.of(GenieKernelIT.JUPYTER, "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=900", "--output-dir", out.toString(),
                root.resolve("notebooks/" + name + ".ipynb").toString()), root.resolve("notebooks"), env, 1200);
        System.out.println(r.output());
        assertEquals(0, r.rc(), name + ": nbconvert failed:\n" + r.output());
        return JsonParser.parseString(Files.readString(out.resolve(name + ".ipynb"))).getAsJsonObject();
    }

    @BeforeAll
    static void setUp() throws Exception {
        Path kernelDir = Path.of(System.getProperty("genie.kernel.dir", ".")).toAbsolutePath();
        root = kernelDir.getParent();
        skipOrFail(missing(), "TutorialNotebooksIT");
        env = installKernel(kernelDir, tmp);
        env.put("GENIE_BUDGET", "smoke");
        env.put("GENIE_RECORDS", tmp.resolve("records").toString());
        env.put("GENIE_SYNTH_CACHE", tmp.resolve("synth-cache").toString());
    }

    // ------------------------------------------------------------------ output helpers

    /** One code cell's outputs. */
    record Cell(String source, List<JsonObject> outputs) {
        String text() {
            StringBuilder sb = new StringBuilder();
            for (JsonObject o : outputs) {
                if (o.has("text")) sb.append(join(o.get("text")));
                if (o.has("data") && o.getAsJsonObject("data").has("text/plain")) {
                    sb.append(join(o.getAsJsonObject("data").get("text/plain"))).append('\n');
                }
            }
            return sb.toString();
        }

        String html() {
            StringBuilder sb = new StringBuilder();
            for (JsonObject o : outputs) {
                if (o.has("data") && o.getAsJsonObject("data").has("text/html")) {
                    sb.append(join(o.getAsJsonObject("data").get("text/html")));
                }
            }
            return sb.toString();
        }

        int pngs() {
            return (int) outputs.stream().filter(o -> o.has("data") && o.getAsJsonObject("data").has("image/png")).count();
        }
    }

    static String join(JsonElement e) {
        if (e.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            e.getAsJsonArray().forEach(x -> sb.append(x.getAsString()));
            return sb.toString();
        }
        return e.getAsString();
    }

    /** Code cells; fails on any error output. */
    static List<Cell> cells(JsonObject nb, String name) {
        List<Cell> out = new ArrayList<>();
        for (JsonElement e : nb.getAsJsonArray("cells")) {
            JsonObject c = e.getAsJsonObject();
            if (!"code".equals(c.get("cell_type").getAsString())) continue;
            List<JsonObject> outs = new ArrayList<>();
            JsonArray arr = c.getAsJsonArray("outputs");
            arr.forEach(o -> outs.add(o.getAsJsonObject()));
            String src = join(c.get("source"));
            for (JsonObject o : outs) {
                if ("error".equals(o.get("output_type").getAsString())) {
                    throw new AssertionError(name + ": cell failed: " + src.lines().findFirst().orElse("") + "\n"
                            + o.get("ename") + ": " + o.get("evalue"));
                }
            }
            out.add(new Cell(src, outs));
        }
        return out;
    }

    static Cell cell(List<Cell> cells, String startsWith) {
        return cells.stream().filter(c -> c.source().strip().startsWith(startsWith)).findFirst()
                .orElseThrow(() -> new AssertionError("no cell starting with " + startsWith));
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    static List<Path> records(String sub) throws Exception {
        Path dir = tmp.resolve("records").resolve(sub);
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals("record.json")).toList();
        }
    }

    // ------------------------------------------------------------------ the notebooks

    @Test
    void quickstart() throws Exception {
        List<Cell> cells = cells(execute(root, "01_quickstart", env, tmp.resolve("nb")), "01");
        assertTrue(cell(cells, "%%genie_synth").pngs() >= 2, "synthesis: loss curve and images");
        assertTrue(cell(cells, "%genie_quantize").html().contains("<th>w_bits</th>"), "placement table");
        assertTrue(cell(cells, "%genie_table results").html().contains("<th>top-1 %</th>"), "results table");
        String last = cells.get(cells.size() - 1).text();
        double fp32 = number(last, "FP32 ([0-9.]+) %");
        double w4a4 = number(last, "W4A4 Genie ([0-9.]+) %");
        assertTrue(fp32 > 85 && fp32 < 95, "FP32 of the default teacher: " + fp32);
        // W4A4 costs this teacher well under a point at the full budget; a broken quantizer costs tens.
        assertTrue(fp32 - w4a4 < 8, "W4A4 at the smoke budget: " + w4a4 + " against FP32 " + fp32);
        assertEquals(1, records("01_quickstart").size());
    }

    @Test
    void genieD() throws Exception {
        List<Cell> cells = cells(execute(root, "02_genie_d", env, tmp.resolve("nb")), "02");
        assertTrue(cell(cells, "%genie_plot bn-stats").pngs() >= 1, "BN statistics chart");
        assertTrue(cell(cells, "%genie_plot images --data fashion-mnist").pngs() >= 1, "real images");
        assertTrue(cell(cells, "%genie_plot images --data noise").pngs() >= 1, "noise images");
        Cell ablation = cell(cells, "ImageSet test");
        String html = ablation.html();
        assertTrue(html.contains("swing-convolution ablation") && html.contains("<td>no swing</td>"), html);
        assertTrue(html.contains("2 rows"), html);
        assertTrue(ablation.text().contains("W4A4 top-1 %"), ablation.text());
        assertEquals(1, records("02_genie_d").size());
    }

    @Test
    void ablations() throws Exception {
        List<Cell> cells = cells(execute(root, "04_ablations", env, tmp.resolve("nb")), "04");
        Cell grid = cell(cells, "Path records");
        assertTrue(grid.html().contains("8 cells: 8 done, 0 running, 0 pending, 0 failed"), grid.html());
        for (String s : List.of("genie-d", "real")) for (String m : List.of("rtn", "genie")) for (int seed : List.of(0, 1)) {
            double top1 = number(grid.text(), Pattern.quote(s) + "\\s+" + m + "\\s+W4A4 seed " + seed + "\\s+([0-9.]+) %");
            // ResNet-20 (FP32 93.89 % on all 10,000; the smoke budget scores a few hundred) at W4A4 stays within a
            // few points; a broken quantizer falls far below.
            assertTrue(top1 > 85, s + " " + m + " seed " + seed + ": " + top1);
        }
        String pivot = cell(cells, "List<SeedStatistics.Group> groups").html();
        assertTrue(pivot.contains("W4A4: top-1 % by data source and quantizer, mean ± std over 2 seed(s)"), pivot);
        assertTrue(pivot.matches("(?s).*<td>[0-9.]+ ± [0-9.]+</td>.*"), pivot);
        assertTrue(cell(cells, "CategoryChart chart").pngs() == 1, "grid chart");
        // The reference-budget tables are read from the committed records of results/paper.json, never computed here.
        String committed = cell(cells, "Path results").html();
        assertTrue(committed.matches("(?s).*sweep paper .*: [0-9]+ cells: [0-9]+ done.*"), committed);
        String paper = cell(cells, "var pm").html();
        assertTrue(paper.contains("[recall]") && paper.contains("verified") && paper.contains("69.07"), paper);
        assertTrue(cell(cells, "RecordTable.of").html().contains("8 rows"));
        assertEquals(8, records("04_ablations").size());
        assertTrue(grid.text().contains("computed 8, read back 0"), grid.text());
        // Genie-D sets are shared: the genie cells reuse the set the rtn cell of the same seed made (it ran first).
        try (Stream<Path> c = Files.list(tmp.resolve("records/04_ablations"))) {
            List<Path> genieD = c.filter(p -> p.getFileName().toString().contains("_genie-d_genie_")).toList();
            assertEquals(2, genieD.size());
            for (Path p : genieD) {
                String log = Files.readString(p.resolve("sweep.log"));
                assertTrue(log.contains("Genie-D: reused"), p + ":\n" + log);
            }
        }

        // Executed again with the same records: every cell is read back, nothing recomputed.
        List<Cell> again = cells(execute(root, "04_ablations", env, tmp.resolve("nb-again")), "04 again");
        Cell grid2 = cell(again, "Path records");
        assertTrue(grid2.text().contains("computed 0, read back 8"), grid2.text());
        for (String s : List.of("genie-d", "real")) for (String m : List.of("rtn", "genie")) {
            String re = Pattern.quote(s) + "\\s+" + m + "\\s+W4A4 seed 1\\s+([0-9.]+) %";
            assertEquals(number(grid.text(), re), number(grid2.text(), re), 0.0, s + " " + m);
        }
    }

    @Test
    void bringYourOwnModel() throws Exception {
        List<Cell> cells = cells(execute(root, "05_bring_your_own_model", env, tmp.resolve("nb")), "05");
        assertTrue(cell(cells, "%genie_load").text().contains("loaded my_model"));
        double fp32 = number(cell(cells, "%genie_eval --on mine").text(), "top-1 ([0-9.]+)");
        assertTrue(cell(cells, "%genie_export").text().contains("my_model_w4a4.safetensors"));
        String tensors = cell(cells, "var header").text();
        assertTrue(number(tensors, "([0-9]+) tensors") > 10, tensors);
        assertTrue(tensors.contains("layer1.0.conv1"), tensors);
        assertTrue(fp32 > 0, "fp32 " + fp32);
        assertEquals(1, records("05_bring_your_own_model").size());
    }

    @Test
    void beyondGenie() throws Exception {
        List<Cell> cells = cells(execute(root, "06_beyond_genie", env, tmp.resolve("nb")), "06");
        // The committed selection sweep is read, not run: its status names every cell of results/select.json.
        String status = cell(cells, "import genie.magics").html();
        assertTrue(status.matches("(?s).*sweep select .*: [0-9]+ cells: [0-9]+ done.*"), status);
        String table = cell(cells, "List<SeedStatistics.Group> groups").html();
        assertTrue(table.contains("validation top-1 % by switch"), table);
        // Each image-side switch changes the images of the same seed; a switch that did nothing would give 0.
        String dist = cell(cells, "// How far").text() + cell(cells, "// How far").html();
        for (String sw : List.of("lowpass", "augment", "labels")) {
            double d = number(dist, Pattern.quote(sw) + "</td>\\s*<td>([0-9.]+)");
            assertTrue(d > 0, sw + ": " + d);
        }
    }
}
