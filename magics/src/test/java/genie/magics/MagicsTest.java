package genie.magics;

import genie.cli.Main;
import genie.data.ImageSet;
import genie.eval.Accuracy;
import genie.nn.Model;
import genie.quant.ReconstructionListener;
import genie.quant.Unit;
import genie.quant.UnitReport;
import genie.report.Charts;
import genie.synth.SynthResult;
import genie.util.Cancellation;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every magic on a tiny ResNet: parsing, variable binding, displays, CLI-identical errors. */
class MagicsTest {
    @TempDir
    static Path dir;
    static Path spec;
    Display.Recording shown;
    TestKernel kernel;
    Bindings bound;

    @BeforeAll
    static void writeModel() throws Exception {
        spec = TinyTeacher.write(dir);
    }

    @BeforeEach
    void fresh() throws Exception {
        shown = new Display.Recording();
        kernel = TestKernel.showingOn(shown);
        bound = kernel.genieSession().bindings();
        GenieMagics.load(List.of("--model", spec.toString(), "--as", "teacher"));
        Session.put("calib", TinyTeacher.images(24, 2));
        bound.drainBindings();
    }

    @AfterEach
    void done() {
        kernel.close();
    }

    static List<String> args(String line) {
        return MagicSpec.tokens(line);
    }

    /** The CLI's first stderr line for the same arguments. */
    static String cliError(String... args) {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int rc = cl.execute(args);
        assertTrue(rc != 0, "the CLI accepted " + Arrays.toString(args));
        return err.toString().lines().findFirst().orElse("");
    }

    Quantization prepare() throws Exception {
        GenieMagics.quantize(args("--data calib --wbits 2 --abits 4 --method genie --iters 4 --recon-batch 8 --as q"));
        return Session.get("q", Quantization.class);
    }

    static BufferedImage png(DisplayData d) throws Exception {
        Object b64 = d.getData(MIMEType.IMAGE_PNG);
        assertNotNull(b64, "no image/png");
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64.toString())));
    }

    static long count(List<DisplayData> ds, MIMEType type) {
        return ds.stream().filter(d -> d.hasDataForType(type)).count();
    }

    // ------------------------------------------------------------------ load

    @Test
    void loadBindsTheModel() throws Exception {
        Model m = GenieMagics.load(args("--model " + spec + " --as t2"));
        assertTrue(Session.get("t2") == m);
        assertEquals(List.of("var t2 = (genie.nn.Model) genie.magics.Session.get(\"t2\");"), bound.drainBindings());
        assertEquals("tiny-resnet", m.spec().name());
    }

    @Test
    void loadBadOptionsSayWhatTheCliSays() {
        MagicException e = assertThrows(MagicException.class, () -> GenieMagics.load(args("--modle x")));
        assertEquals(cliError("eval", "--modle", "x"), e.getMessage());
        e = assertThrows(MagicException.class, () -> GenieMagics.load(args("--model " + spec + " --seed abc")));
        assertEquals(cliError("eval", "--model", spec.toString(), "--seed", "abc"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GenieMagics.load(args("--model " + spec + " --as 2x")));
    }

    @Test
    void helpIsTheCliHelp() throws Exception {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true));
        try {
            assertNull(GenieMagics.quantize(args("--help")));
        } finally {
            System.setOut(old);
        }
        String help = buf.toString();
        assertTrue(help.contains("%genie_quantize"), help);
        assertTrue(help.contains("Weight bits, 2..8 (default: 4)."), help);
        assertTrue(help.contains("--as=NAME"), help);
    }

    // ------------------------------------------------------------------ quantize and step

    @Test
    void quantizePreparesWithoutRunning() throws Exception {
        Quantization q = prepare();
        assertEquals(0, q.reports().size());
        assertTrue(q.units().size() >= 3);
        assertEquals(2, q.config().wbits());
        assertEquals(4, q.config().iterations());
        assertEquals(List.of("var q = (genie.magics.Quantization) genie.magics.Session.get(\"q\");"),
                bound.drainBindings());
        assertEquals(1, count(shown.shown, MIMEType.TEXT_HTML)); // the placement table
        assertTrue(shown.shown.get(0).getData(MIMEType.TEXT_HTML).toString().contains("<th>w_bits</th>"));
    }

    @Test
    void quantizeRunDoesEveryUnit() throws Exception {
        GenieMagics.quantize(args("--data calib --method rtn --run --as r"));
        Quantization q = Session.get("r", Quantization.class);
        assertFalse(q.hasNext());
        assertEquals(q.units().size(), q.reports().size());
        shown.shown.clear();
        GenieMagics.quantize(args("--data calib --iters 4 --recon-batch 8 --run --as g"));
        assertEquals(1, count(shown.shown, MIMEType.IMAGE_PNG), "one loss chart (the live one), not a second copy");
    }

    @Test
    void quantizeTakesTheCacheBudgetAndSaysWhatSpills(@TempDir Path spill) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            GenieMagics.quantize(args("--data calib --iters 4 --recon-batch 8 --cache-memory 0 --spill-dir " + spill
                    + " --run --as s"));
        } finally {
            System.setOut(old);
        }
        Quantization q = Session.get("s", Quantization.class);
        assertEquals(0, q.reconstruction().cacheBudget().bytes());
        assertEquals(spill, q.reconstruction().cacheBudget().spillDir());
        assertFalse(q.hasNext());
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("reconstruction cache (estimate)") && out.contains("units spill"), out);
    }

    @Test
    void quantizeBadOptionsSayWhatTheCliSays() {
        MagicException e = assertThrows(MagicException.class, () -> GenieMagics.quantize(args("--data calib --wbits two")));
        assertEquals(cliError("quantize", "--data", "calib", "--wbits", "two"), e.getMessage());
        e = assertThrows(MagicException.class, () -> GenieMagics.quantize(args("--wbits 2")));
        assertEquals(cliError("quantize", "--wbits", "2"), e.getMessage());
        assertTrue(e.getMessage().startsWith("Missing required option: '--data=SPEC'"), e.getMessage());
        // engine-level checks: the message the CLI prints after "genie quantize: error: "
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> GenieMagics.quantize(args("--data calib --method nope")));
        IllegalArgumentException engine = assertThrows(IllegalArgumentException.class, () -> genie.quant.Method.parse("nope"));
        assertEquals(engine.getMessage(), bad.getMessage());
        // command-line output options are refused, not silently ignored
        for (String cliOnly : new String[] {"--json", "--quiet", "--record /tmp/r"}) {
            MagicException m = assertThrows(MagicException.class,
                    () -> GenieMagics.quantize(args("--data calib " + cliOnly)));
            assertTrue(m.getMessage().matches("Unknown options?: '" + cliOnly.split(" ")[0] + "'.*"), m.getMessage());
        }
    }

    @Test
    void stepOneThenNThenToThenAll() throws Exception {
        Quantization q = prepare();
        shown.shown.clear();
        GenieMagics.step(List.of());
        assertEquals(1, q.reports().size());
        // heading, loss chart, output chart, unit table; the live bar and chart come first
        long pngs = count(shown.shown, MIMEType.IMAGE_PNG);
        assertTrue(pngs >= 3, "pngs " + pngs); // live chart + loss + output
        DisplayData table = shown.shown.get(shown.shown.size() - 1);
        assertTrue(table.getData(MIMEType.TEXT_HTML).toString().contains("<th>SQNR after (dB)</th>"));
        BufferedImage loss = png(shown.shown.get(shown.shown.size() - 3));
        assertEquals(Charts.WIDTH, loss.getWidth());
        assertEquals(Charts.HEIGHT, loss.getHeight());
        assertTrue(shown.updates.size() > 0, "the live displays were updated in place");

        GenieMagics.step(args("2 --show last"));
        assertEquals(3, q.reports().size());
        String last = q.units().get(q.units().size() - 1).name();
        GenieMagics.step(args("--to " + q.units().get(3).name() + " --show none --no-live"));
        assertEquals(4, q.reports().size());
        GenieMagics.step(args("--all --show none"));
        assertFalse(q.hasNext());
        assertEquals(last, q.reports().get(q.reports().size() - 1).name());
        GenieMagics.step(List.of()); // nothing left: says so
    }

    @Test
    void stepErrors() throws Exception {
        prepare();
        RuntimeException e = assertThrows(RuntimeException.class, () -> GenieMagics.step(args("--to nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        MagicException m = assertThrows(MagicException.class, () -> GenieMagics.step(args("--bogus")));
        assertEquals("Unknown option: '--bogus'", m.getMessage());
        assertThrows(MagicException.class, () -> GenieMagics.step(args("x")));
        bound.clear();
        assertThrows(IllegalArgumentException.class, () -> GenieMagics.step(List.of()));
    }

    @Test
    void interruptKeepsFinishedUnitsAndRollsBackTheRunningOne() throws Exception {
        Quantization q = prepare();
        GenieMagics.step(args("--show none"));
        String next = q.nextUnit().name();
        q.reconstruction().addListener(new ReconstructionListener() {
            @Override
            public void onIteration(Unit unit, int iteration, int total, float rec, float round) {
                if (iteration == 2) {
                    kernel.genieSession().cancellation().request();
                }
            }
        });
        assertThrows(Cancellation.CancelledException.class, () -> GenieMagics.step(args("--all --show none")));
        assertEquals(1, q.reports().size());
        assertEquals(next, q.nextUnit().name());
        assertTrue(shown.updates.stream().anyMatch(d -> String.valueOf(d.getData(MIMEType.TEXT_PLAIN))
                .contains("rolled back")), "the live bar reports the rollback");
    }

    // ------------------------------------------------------------------ eval, plot, table, export

    @Test
    void evalScoresAndBinds() throws Exception {
        Quantization q = prepare();
        GenieMagics.step(args("--all --show none --no-live"));
        Accuracy a = GenieMagics.eval(args("--on q --data calib --as acc"));
        assertEquals(24, a.images());
        assertTrue(Session.get("acc") == a);
        Accuracy fp = GenieMagics.eval(args("--on teacher --data calib --limit 12"));
        assertEquals(12, fp.images());
        assertEquals(2, Genie.results().size() >= 2 ? 2 : Genie.results().size());
        MagicException e = assertThrows(MagicException.class, () -> GenieMagics.eval(args("--limit many")));
        assertEquals(cliError("eval", "--limit", "many"), e.getMessage());
        assertNotNull(q);
    }

    @Test
    void plotsShowPngsOfTheChartSize(@TempDir Path out) throws Exception {
        Quantization q = prepare();
        GenieMagics.step(args("2 --show none --no-live"));
        String layer = q.units().get(1).layers().get(0).layerName();
        shown.shown.clear();
        for (String line : List.of("activations --layer " + layer + " --images 16", "weights --layer " + layer, "losses",
                "unit", "output --unit " + q.units().get(0).name(), "bn-stats --data calib --images 8")) {
            ReportMagics.plot(args(line));
        }
        assertEquals(6, shown.shown.size());
        for (DisplayData d : shown.shown) {
            BufferedImage img = png(d);
            assertEquals(Charts.WIDTH, img.getWidth());
            assertEquals(Charts.HEIGHT, img.getHeight());
        }
        ReportMagics.plot(args("images --data calib --images 8 --out " + out.resolve("grid.png") + " --as grid"));
        assertTrue(Files.size(out.resolve("grid.png")) > 100);
        assertTrue(Session.get("grid") instanceof BufferedImage);
        ReportMagics.plot(args("losses --out " + out.resolve("l.svg")));
        assertTrue(Files.readString(out.resolve("l.svg")).contains("<svg"));
        assertThrows(MagicException.class, () -> ReportMagics.plot(args("pie")));
        assertThrows(MagicException.class, () -> ReportMagics.plot(args("weights")));
    }

    @Test
    void tablesShowHtmlAndWriteCsv(@TempDir Path out) throws Exception {
        prepare();
        GenieMagics.step(args("--show none --no-live"));
        shown.shown.clear();
        ReportMagics.table(args("placement --csv " + out.resolve("p.csv")));
        ReportMagics.table(args("units --as units"));
        ReportMagics.table(args("results"));
        assertEquals(3, count(shown.shown, MIMEType.TEXT_HTML));
        assertTrue(shown.shown.get(0).getData(MIMEType.TEXT_HTML).toString()
                .contains("<thead><tr><th>layer</th><th>type</th><th>w_bits</th><th>a_bits</th>"));
        assertTrue(Files.readAllLines(out.resolve("p.csv")).get(0).startsWith("layer,type,w_bits,a_bits"));
        assertEquals(1, ((tech.tablesaw.api.Table) Session.get("units")).rowCount());
        assertThrows(MagicException.class, () -> ReportMagics.table(args("chairs")));
    }

    @Test
    void exportWritesTheIntegerModel(@TempDir Path out) throws Exception {
        prepare();
        GenieMagics.step(args("--all --show none --no-live"));
        Path p = ReportMagics.export(args("--out " + out.resolve("q.safetensors")));
        Quantization q = Session.get("q", Quantization.class);
        ImageSet calib = Session.get("calib", ImageSet.class);
        try (var back = genie.quant.IntegerExport.load(p, q.teacher().spec(), ai.djl.Device.cpu());
                var m = q.student().manager().newSubManager()) {
            var x = calib.batch(m, 0, calib.size());
            assertArrayEquals(q.model().forward(x).toFloatArray(), back.forward(x).toFloatArray(),
                    "the exported integer model reloads to the same logits");
        }
        MagicException e = assertThrows(MagicException.class, () -> ReportMagics.export(List.of()));
        assertTrue(e.getMessage().startsWith("Missing required option: '--out=FILE.safetensors'"), e.getMessage());
    }

    // ------------------------------------------------------------------ synth

    @Test
    void synthCellBodyHoldsOptions() throws Exception {
        GenieMagics.synth(args("--as syn"), "--samples 4\n# a comment\n--batch 4\n--iters 2\n--latent 8\n");
        ImageSet images = Session.get("syn", ImageSet.class);
        assertEquals(4, images.size());
        assertTrue(Session.get("syn_result") instanceof SynthResult);
        List<String> b = bound.drainBindings();
        assertEquals("var syn = (genie.data.ImageSet) genie.magics.Session.get(\"syn\");", b.get(0));
        assertEquals(2, count(shown.shown, MIMEType.IMAGE_PNG), "one loss chart (the live one) and the image grid");
        // Reused from a cache there is no live chart: the stored curves are shown once instead.
        GenieMagics.synth(args("--as c1 --cache " + dir.resolve("cache")), "--samples 4\n--batch 4\n--iters 2\n--latent 8\n");
        shown.shown.clear();
        GenieMagics.synth(args("--as c2 --cache " + dir.resolve("cache")), "--samples 4\n--batch 4\n--iters 2\n--latent 8\n");
        assertEquals(2, count(shown.shown, MIMEType.IMAGE_PNG), "stored loss chart and the image grid");
        MagicException e = assertThrows(MagicException.class, () -> GenieMagics.synth(List.of(), "--samples lots"));
        assertEquals(cliError("synth", "--samples", "lots"), e.getMessage());
        // the synthetic set calibrates a quantization by name
        GenieMagics.quantize(args("--data syn --method rtn --as qs"));
        assertEquals(4, Session.get("qs", Quantization.class).calibration().size());
    }

    // ------------------------------------------------------------------ wiring

    @Test
    void extensionIsFoundByServiceLoaderAndRegistersEveryMagic() {
        List<Extension> found = new ArrayList<>();
        ServiceLoader.load(Extension.class).forEach(found::add);
        assertTrue(found.stream().anyMatch(e -> e instanceof GenieMagics));
        MagicsRegistry r = new MagicsRegistry();
        GenieMagics.register(r);
        assertTrue(r.getLineMagicNames().containsAll(GenieMagics.LINE_MAGICS));
        assertTrue(r.getCellMagicNames().contains("genie_synth"));
    }

    @Test
    void bindingsUseTheNearestPublicType() {
        assertEquals("var x = (java.util.ArrayList) genie.magics.Session.get(\"x\");", Bindings.binding("x", new ArrayList<>()));
        // ArrayList's sub-list is a private nested class: the binding names its public superclass.
        assertEquals("java.util.AbstractList", Bindings.publicType(new ArrayList<>(List.of(1, 2)).subList(0, 1).getClass()));
        assertEquals("java.lang.Object", Bindings.publicType(new Object() {}.getClass()), "anonymous classes have no name");
        assertEquals("genie.magics.Quantization", Bindings.publicType(Quantization.class));
        assertEquals(List.of("a b", "c", ""), MagicSpec.tokens("\"a b\" c ''"));
    }

    @Test
    void renderersMakePngsAndHtml() throws Exception {
        var chart = Charts.synthLoss(List.of(new float[] {3, 2, 1}));
        BufferedImage img = png(Display.render(chart));
        assertEquals(Charts.WIDTH, img.getWidth());
        assertEquals(Charts.HEIGHT, img.getHeight());
        var t = genie.report.Tables.results(List.of());
        String html = Display.render(t).getData(MIMEType.TEXT_HTML).toString();
        assertTrue(html.contains("<thead><tr><th>method</th><th>bits</th>"), html);
    }
}
