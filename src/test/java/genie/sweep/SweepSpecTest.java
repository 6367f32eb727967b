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
    void skippedCellsLeaveTheGridAndTheOthersKeepTheirIds() {
        List<Cell> all = Cell.expand(parse(ISSUE));
        SweepSpec s = parse(ISSUE.replace("\"budget\"", "\"skip\": [{\"data\": \"genie-d\", \"method\": \"rtn\"}, "
                + "{\"data\": \"noise\"}, {\"seed\": 2, \"bits\": \"W4A4\"}], \"budget\""));
        List<Cell> kept = Cell.expand(s);
        List<Cell> expected = all.stream().filter(c -> !(c.data().equals("genie-d") && c.method().toString().equals("rtn"))
                && !c.data().equals("noise") && !(c.seed() == 2 && c.bits().equals("w4a4"))).toList();
        assertEquals(150 - 6 - 30 - (25 - 1 - 5), kept.size()); // seed 2 W4A4 overlaps the other two skips in 6 cells
        assertEquals(kept.size(), s.size());
        assertEquals(expected.stream().map(Cell::id).toList(), kept.stream().map(Cell::id).toList());
        assertTrue(error(ISSUE.replace("\"budget\"", "\"skip\": [{\"datum\": \"noise\"}], \"budget\""))
                .contains("\"skip[0].datum\" is not an axis"));
        assertTrue(error(ISSUE.replace("\"budget\"", "\"skip\": {\"data\": \"noise\"}, \"budget\""))
                .contains("\"skip\" must be a list"));
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
    void variantsAreAnAxisOfNamedSettings() {
        String json = ISSUE.replace("\"budget\"", "\"variants\": {\"paper\": {}, \"lp\": {\"lowpass\": 0.5}, "
                + "\"fast\": {\"recon_iters\": 500}}, \"skip\": [{\"variant\": \"lp\", \"method\": \"rtn\"}], \"budget\"");
        List<Cell> cells = Cell.expand(parse(json));
        assertEquals(150 * 3 - 30, cells.size());
        List<Cell> paper = cells.stream().filter(c -> c.variant().equals("paper")).toList();
        // A variant without settings is the plain grid: same ids as the spec without variants.
        assertEquals(Cell.expand(parse(ISSUE)).stream().map(Cell::id).toList(), paper.stream().map(Cell::id).toList());
        Cell lp = cells.stream().filter(c -> c.variant().equals("lp")).findFirst().orElseThrow();
        assertTrue(String.join(" ", lp.args(Path.of("/r"), Path.of("/c"))).contains("--lowpass 0.5"));
        assertTrue(lp.folder().contains("_lp_") && lp.label().endsWith("[lp]"), lp.folder() + " " + lp.label());
        assertEquals(500, cells.stream().filter(c -> c.variant().equals("fast")).findFirst().orElseThrow().settings()
                .get("recon_iters"));
        assertEquals(cells.size(), cells.stream().map(Cell::folder).distinct().count());
        assertTrue(error(ISSUE.replace("\"budget\"", "\"variants\": {\"a b\": {}}, \"budget\""))
                .contains("\"variants.a b\" a variant's name must be"));
        assertTrue(error(ISSUE.replace("\"budget\"", "\"variants\": {\"x\": {\"lowpas\": 1}}, \"budget\""))
                .contains("\"variants.x.lowpas\" unknown setting"));
    }

    @Test
    void reconstructionRatesAreDecimalSettings() {
        Cell c = Cell.expand(parse(ISSUE.replace("\"recon_iters\": 2000", "\"recon_iters\": 2000, \"softbit_lr\": 0.003, "
                + "\"round_warmup\": 0.1, \"drop_prob\": 1, \"weight_step_lr\": 1e-4, \"act_step_lr\": 4e-5"))).get(0);
        String args = String.join(" ", c.args(Path.of("/r"), Path.of("/c")));
        assertTrue(args.contains("--softbit-lr 0.003 --weight-step-lr 1.0E-4 --act-step-lr 4.0E-5 --round-warmup 0.1 "
                + "--drop-prob 1.0"), args);
        assertTrue(error(ISSUE.replace("\"recon_iters\": 2000", "\"recon_iters\": 2000, \"round_warmup\": \"short\""))
                .contains("\"budget.round_warmup\" must be a number"));
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

    /** Folder names (with their ids) of cells recorded before the switches beyond Genie existed. */
    @Test
    void cellsWithTheSwitchesOffKeepTheIdsTheirRecordsHave() {
        List<Cell> before = Cell.expand(parse(ISSUE));
        assertEquals("default_genie-d_rtn_w2a4_s0_0254f88ab8d4", before.get(0).folder());
        assertEquals("default_real_genie_w4a4_s2_9989bdba4aa5", before.get(149).folder());
        String off = ISSUE.replace("\"eval_limit\": 10000}", "\"eval_limit\": 10000, \"lowpass\": 0, \"synth_augment\": false, "
                + "\"bn_global\": false, \"label_ce\": 0.0, \"recon_schedule\": \"paper\"}");
        List<Cell> offCells = Cell.expand(parse(off));
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).folder(), offCells.get(i).folder(), "switches set to off: the same cell");
            assertEquals(before.get(i).args(Path.of("/r"), Path.of("/c")), offCells.get(i).args(Path.of("/r"), Path.of("/c")));
        }
    }

    @Test
    void switchesOnAreCellSettingsThatReachGenieRun() {
        String on = ISSUE.replace("\"eval_limit\": 10000}", "\"eval_limit\": 10000, \"lowpass\": 0.5, \"synth_augment\": true, "
                + "\"bn_global\": true, \"label_ce\": 0.1}").replace("}}", "}")
                + ", \"method_options\": {\"genie\": {\"recon_schedule\": \"Cosine-All\"}}, \"overrides\": "
                + "[{\"where\": {\"seed\": \"2\"}, \"set\": {\"label_ce\": 0}}]}";
        List<Cell> before = Cell.expand(parse(ISSUE));
        List<Cell> cells = Cell.expand(parse(on));
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            String args = String.join(" ", c.args(Path.of("/r"), Path.of("/c")));
            assertNotEquals(before.get(i).id(), c.id(), c.label());
            assertTrue(args.contains("--lowpass 0.5 --synth-augment --bn-global"), args);
            assertEquals(c.seed() != 2, args.contains("--label-ce 0.1"), "an override turns it off again: " + args);
            assertEquals(c.method().toString().equals("genie"), args.contains("--recon-schedule cosine-all"), args);
        }
    }

    @Test
    void badSwitchValuesAreRefusedWithTheirKey() {
        String budget = "\"eval_limit\": 10000}";
        assertTrue(error(ISSUE.replace(budget, "\"eval_limit\": 10000, \"lowpass\": -1}")).contains("\"budget.lowpass\" must be >= 0"));
        assertTrue(error(ISSUE.replace(budget, "\"eval_limit\": 10000, \"synth_augment\": 1}")).contains(
                "\"budget.synth_augment\" must be true or false"));
        assertTrue(error(ISSUE.replace(budget, "\"eval_limit\": 10000, \"label_ce\": \"x\"}")).contains(
                "\"budget.label_ce\" must be a number"));
        String e = error(ISSUE.replace(budget, "\"eval_limit\": 10000, \"recon_schedule\": \"cosine\"}"));
        assertTrue(e.contains("\"budget.recon_schedule\" unknown reconstruction schedule 'cosine': use paper or cosine-all"), e);
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
