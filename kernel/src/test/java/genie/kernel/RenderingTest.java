package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Base64;

import genie.magics.Display;
import genie.report.Tables;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.QuickChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** How the kernel shows a cell's value: the magics' renderers, and the typed helpers of {@link Notebook}. */
class RenderingTest {

    static Renderer renderer;

    @BeforeAll
    static void setUp() {
        System.setProperty("java.awt.headless", "true");
        renderer = new Renderer();
        Display.register(renderer);
    }

    static boolean isPng(Object base64) {
        byte[] b = Base64.getDecoder().decode(base64.toString());
        return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    @Test
    void chartBecomesPng() {
        DisplayData d = renderer.render(QuickChart.getChart("t", "x", "y", "s", new double[]{1, 2}, new double[]{3, 4}));
        assertTrue(isPng(d.getData(MIMEType.IMAGE_PNG)));
        assertTrue(d.getData(MIMEType.TEXT_PLAIN).toString().contains("XYChart"));
    }

    @Test
    void tableBecomesHtmlWithHeaderAndText() {
        Table t = Table.create("scores", StringColumn.create("model", "a<b", "c"), DoubleColumn.create("acc", 0.5, 0.25));
        DisplayData d = renderer.render(t);
        String html = d.getData(MIMEType.TEXT_HTML).toString();
        assertTrue(html.contains("<table"), html);
        assertTrue(html.contains("<thead><tr><th>model</th><th>acc</th></tr></thead>"), html);
        assertTrue(html.contains("<td>a&lt;b</td>"), html);
        assertTrue(html.contains("2 rows"), html);
        assertTrue(d.getData(MIMEType.TEXT_PLAIN).toString().contains("model"));
    }

    @Test
    void bigTableIsCut() {
        double[] v = new double[Tables.MAX_HTML_ROWS + 10];
        String html = renderer.render(Table.create("big", DoubleColumn.create("v", v))).getData(MIMEType.TEXT_HTML).toString();
        assertEquals(Tables.MAX_HTML_ROWS, html.split("<tr>").length - 2);
        assertTrue(html.contains("first " + Tables.MAX_HTML_ROWS + " shown"));
    }

    @Test
    void bufferedImageBecomesPng() {
        DisplayData d = renderer.render(new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB));
        assertTrue(isPng(d.getData(MIMEType.IMAGE_PNG)));
    }

    @Test
    void typedHelpers() {
        assertEquals("<b>x</b>", Notebook.html("<b>x</b>").getData(MIMEType.TEXT_HTML));
        assertEquals("*x*", Notebook.markdown("*x*").getData(MIMEType.TEXT_MARKDOWN));
        assertEquals("<svg/>", Notebook.svg("<svg/>").getData(MIMEType.IMAGE_SVG));
        assertTrue(isPng(Notebook.png(Logo.png(16)).getData(MIMEType.IMAGE_PNG)));
    }
}
