package genie.report;

import genie.data.ImageSet;
import genie.nn.Model;
import genie.quant.QuantConfig;
import genie.quant.QuantizedModel;
import genie.quant.Reconstruction;
import genie.quant.UnitReport;
import genie.testing.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Charts and tables on a tiny ResNet quantized with a few reconstruction iterations. */
class ReportTest {
    static Model teacher;
    static QuantizedModel q;
    static ImageSet calib;
    static List<UnitReport> reports;

    @BeforeAll
    static void quantize() {
        teacher = TinyModels.resnet(1);
        calib = TinyModels.images(32, 1, 8, 8, 3, 2);
        q = QuantizedModel.prepare(teacher, QuantConfig.defaults().withBits(2, 4).withIterations(6).withBatch(8)
                .withSeed(3));
        reports = new Reconstruction(teacher, q, calib).run();
    }

    @AfterAll
    static void close() {
        q.close();
        teacher.close();
    }

    static BufferedImage decode(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    @Test
    void chartsBecomePngsOfTheirSize() throws Exception {
        String layer = q.placement().get(2).name();
        List<XYChart> charts = List.of(Charts.activationDistribution(teacher, q, layer, calib, 16),
                Charts.weightDistribution(q, layer), Charts.unitLosses(reports), Charts.unitLoss(reports.get(0)),
                Charts.outputDistribution("u", new float[] {1, 2, 3}, new float[] {1, 2, 2}, new float[] {1, 2, 3}),
                Charts.synthLoss(List.of(new float[] {3, 2, 1})),
                Charts.bnStatistics(teacher, Map.of("real", calib, "noise",
                        genie.data.DataSource.noise(8, new int[] {1, 8, 8}, 1)), 8));
        for (XYChart c : charts) {
            byte[] png = Charts.png(c);
            assertTrue(png.length > 1000, c.getTitle());
            BufferedImage img = decode(png);
            assertEquals(Charts.WIDTH, img.getWidth());
            assertEquals(Charts.HEIGHT, img.getHeight());
        }
        assertTrue(charts.get(0).getTitle().contains("step"), charts.get(0).getTitle());
        assertTrue(charts.get(0).getSeriesMap().keySet().stream().anyMatch(k -> k.startsWith("clip")));
        assertTrue(charts.get(1).getTitle().contains("flipped"));
    }

    @Test
    void chartsSaveAsPngAndSvg(@TempDir Path dir) throws Exception {
        XYChart c = Charts.unitLosses(reports);
        Path png = Charts.save(c, dir.resolve("a/loss.png"));
        Path svg = Charts.save(c, dir.resolve("loss.svg"));
        assertEquals(Charts.WIDTH, ImageIO.read(png.toFile()).getWidth());
        assertTrue(Files.readString(svg).contains("<svg"));
    }

    @Test
    void imageGridHasOneCellPerImage() {
        BufferedImage g = Images.grid(teacher, calib, 8, 4);
        assertEquals(4 * (96 + 8), g.getWidth());
        assertEquals(2 * (8 * 10 + 24), g.getHeight());
    }

    @Test
    void tablesHaveTheirHeadersAndCsv(@TempDir Path dir) throws Exception {
        Table p = Tables.placement(q.placement());
        assertEquals(q.placement().size(), p.rowCount());
        assertEquals(List.of("layer", "type", "w_bits", "a_bits", "input quantizer", "unit"), p.columnNames());
        Table u = Tables.units(reports);
        assertEquals(reports.size(), u.rowCount());
        String html = Tables.html(u);
        assertTrue(html.contains("<thead><tr><th>#</th><th>unit</th>"), html);
        assertTrue(html.contains("<th>SQNR after (dB)</th>"));
        Table r = Tables.results(List.of(new ResultRow("genie", 2, 4, "noise:32", 32, 6, 40.5, 100, 1.0)));
        Path csv = Tables.csv(r, dir.resolve("r.csv"));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("method,bits,data,samples,iters,top-1 %,images,seconds", lines.get(0));
        assertTrue(lines.get(1).startsWith("genie,W2A4,noise:32,32,6,40.5"));
    }

    @Test
    void bnStatisticsMatchLayerCount() {
        List<Probes.BnStats> st = Probes.bnStatistics(teacher, calib, 8);
        Map<String, Integer> sizes = new LinkedHashMap<>();
        st.forEach(s -> sizes.put(s.layer(), s.batchMean().length));
        assertEquals(teacher.net().modulesOfType(genie.nn.BatchNorm2d.class).size(), st.size());
        // The first BN's input is conv1's output: its per-channel mean over the same 8 images, computed here.
        Probes.BnStats first = st.get(0);
        assertEquals("bn1", first.layer());
        try (ai.djl.ndarray.NDManager m = teacher.manager().newSubManager()) {
            ai.djl.ndarray.NDArray y = teacher.get("conv1").forward(calib.batch(m, 0, 8));
            long[] s = y.getShape().getShape();
            float[] v = y.toFloatArray();
            float[] mean = new float[(int) s[1]];
            int plane = (int) (s[2] * s[3]);
            for (int i = 0; i < v.length; i++) {
                mean[(i / plane) % mean.length] += v[i] / (s[0] * plane);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(mean, first.batchMean(), 1e-5f);
            float[] running = teacher.get("bn1").localBuffers().get("running_mean").toFloatArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(running, first.runningMean());
            double d = 0;
            for (int i = 0; i < mean.length; i++) {
                d += (mean[i] - running[i]) * (mean[i] - running[i]);
            }
            assertEquals(Math.sqrt(d), first.meanDistance(), 1e-5);
        }
    }
}
