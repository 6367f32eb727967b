package genie.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spec's contract: what it accepts, how it expands into cells, and the errors that name the key at fault. */
class SweepSpecTest {
    static final String ISSUE = """
            {"name": "ablation", "model": "default", "data": ["genie-d", "generator-only", "pixels", "noise", "real"],
             "method": ["rtn", "adaround", "brecq", "qdrop", "genie"], "bits": ["w2a4", "w4a4"], "seeds": [0, 1, 2],
             "budget": {"samples": 512, "synth_batch": 128, "synth_iters": 500, "recon_iters": 2000, "eval_limit": 10000}}""";

    static SweepSpec parse(String json) {
        return SweepSpec.parse(json, Path.of("/specs"), "t.json");
    }

    static String error(String json) {
        return assertThrows(SweepSpecException.class, () -> parse(json)).getMessage();
    }

    @Test
    void theIssuesSpecIsA150CellGridWithDistinctIds() {
        SweepSpec s = parse(ISSUE);
        List<Cell> cells = Cell.expand(s);
        assertEquals(150, s.size());
        assertEquals(150, cells.size());
        assertEquals(150, cells.stream().map(Cell::id).distinct().count());
        assertEquals(150, cells.stream().map(Cell::folder).distinct().count());
        // Cells side by side need different Genie-D sets: data and seed vary fastest.
        assertEquals(List.of("genie-d", "generator-only"), cells.subList(0, 2).stream().map(Cell::data).toList());
    }

    @Test
    void errorsNameTheKeyAndTheFix() {
        assertTrue(error(ISSUE.replace("\"qdrop\"", "\"qdorp\"")).contains("\"method[3]\" unknown method 'qdorp'; use one of rtn"),
                error(ISSUE.replace("\"qdrop\"", "\"qdorp\"")));
        assertTrue(error(ISSUE.replace("w2a4", "w9a4")).contains("\"bits[0]\" weight bits 9 out of range: use 2..8"));
        assertTrue(error(ISSUE.replace("w2a4", "w4a1")).contains("\"bits[0]\" activation bits 1 out of range"));
        assertTrue(error(ISSUE.replace("w2a4", "4/4")).contains("\"bits[0]\" must look like \"w4a4\""));
        assertTrue(error(ISSUE.replace("[0, 1, 2]", "[]")).contains("\"seeds\" is empty"));
        assertTrue(error(ISSUE.replace("\"model\": \"default\"", "\"model\": \"resnet99\"")).contains(
                "\"model\" unknown model 'resnet99': use one of [default, fmnist_resnet20"));
        assertTrue(error(ISSUE.replace("\"pixels\"", "\"pixel\"")).contains("\"data[2]\" unknown data source 'pixel'"));
        assertTrue(error(ISSUE.replace("\"recon_iters\"", "\"recon_iter\"")).contains("\"budget.recon_iter\" unknown setting"));
        assertTrue(error(ISSUE.replace("\"seeds\"", "\"seed\"")).contains("\"seed\" is not a sweep key"));
        assertTrue(error(ISSUE.replace(", \"eval_limit\": 10000", "")).contains("\"budget.eval_limit\" is missing"));
        assertTrue(error(ISSUE.replace("[0, 1, 2]", "[0, 0]")).contains("\"seeds\" lists a value twice"));
        assertTrue(error("{").contains("is not a JSON object"));
    }

    @Test
    void aBudgetLevelFillsTheBudgetAndKeysOverrideIt() {
        SweepSpec s = parse(ISSUE.replaceFirst("\"budget\": \\{[^}]*}", "\"budget\": {\"level\": \"tiny\", \"eval_limit\": 100}"));
        assertEquals(16, s.budget().get("samples"));
        assertEquals(100, s.budget().get("eval_limit"));
        assertTrue(error(ISSUE.replaceFirst("\"budget\": \\{[^}]*}", "\"budget\": \"huge\"")).contains("\"budget.level\" unknown level 'huge'"));
    }

    @Test
    void methodOptionsAndOverridesReachOnlyTheirCellsAndChangeTheirIds() {
        String base = ISSUE.replace("}}", "}");
        SweepSpec plain = parse(ISSUE);
        SweepSpec tuned = parse(base + ", \"method_options\": {\"genie\": {\"recon_batch\": 16}}, \"overrides\": "
                + "[{\"where\": {\"method\": \"genie\", \"bits\": \"w2a4\"}, \"set\": {\"recon_iters\": 5000}}]}");
        List<Cell> a = Cell.expand(plain);
        List<Cell> b = Cell.expand(tuned);
        for (int i = 0; i < a.size(); i++) {
            Cell x = a.get(i);
            Cell y = b.get(i);
            boolean genie = x.method().toString().equals("genie");
            assertEquals(!genie, x.id().equals(y.id()), x.label());
            if (genie) {
                assertEquals(16, y.settings().get("recon_batch"));
                assertEquals(x.wbits() == 2 ? 5000 : 2000, y.settings().get("recon_iters"));
                assertTrue(String.join(" ", y.args(Path.of("/r"), Path.of("/c"))).contains("--recon-batch 16"));
            }
        }
    }

    @Test
    void theIdFollowsTheTeachersWeights(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("w.safetensors");
        Files.write(w, new byte[] {1, 2, 3});
        String json = ISSUE.replace("\"model\": \"default\"", "\"model\": \"default\", \"weights\": \"w.safetensors\"");
        String before = Cell.expand(SweepSpec.parse(json, dir, "t.json")).get(0).id();
        assertEquals(before, Cell.expand(SweepSpec.parse(json, dir, "t.json")).get(0).id(), "same weights, same id");
        Files.write(w, new byte[] {1, 2, 4});
        assertNotEquals(before, Cell.expand(SweepSpec.parse(json, dir, "t.json")).get(0).id(), "retrained teacher");
        assertNotEquals(before, Cell.expand(parse(ISSUE)).get(0).id(), "bundled weights");
    }

    @Test
    void aCellRunsGenieRunWithItsSettingsRecordAndCache() {
        Cell c = Cell.expand(parse(ISSUE)).stream().filter(x -> x.data().equals("real") && x.method().toString().equals("brecq"))
                .findFirst().orElseThrow();
        String args = String.join(" ", c.args(Path.of("/r/x"), Path.of("/cache")));
        assertEquals("--model default --seed 0 --method brecq --wbits 2 --abits 4 --data fashion-mnist:train:512 "
                + "--samples 512 --batch 128 --synth-iters 500 --recon-iters 2000 --eval-limit 10000 --record /r/x --json --quiet", args);
        Cell g = Cell.expand(parse(ISSUE)).get(0);
        assertTrue(String.join(" ", g.args(Path.of("/r/y"), Path.of("/cache"))).contains("--source genie --samples 512"));
        assertTrue(String.join(" ", g.args(Path.of("/r/y"), Path.of("/cache"))).contains("--cache /cache"));
    }

    @Test
    void aCacheMemoryBudgetReachesGenieRunButNotTheCellsIdentity() {
        SweepSpec budgeted = parse(ISSUE.replace("\"eval_limit\": 10000}", "\"eval_limit\": 10000, \"cache_memory\": \"4g\"}"));
        List<Cell> plain = Cell.expand(parse(ISSUE));
        List<Cell> cells = Cell.expand(budgeted);
        for (int i = 0; i < cells.size(); i++) {
            assertEquals(plain.get(i).id(), cells.get(i).id(), "where the cache lives changes no number");
            assertTrue(String.join(" ", cells.get(i).args(Path.of("/r"), Path.of("/c"))).contains("--cache-memory 4g"));
        }
        assertTrue(error(ISSUE.replace("\"eval_limit\": 10000}", "\"eval_limit\": 10000, \"cache_memory\": \"4x\"}"))
                .contains("\"budget.cache_memory\" must be a size like \"512m\" or \"4g\""));
    }
}
