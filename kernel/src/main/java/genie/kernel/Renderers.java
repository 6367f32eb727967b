package genie.kernel;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

import javax.imageio.ImageIO;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * The one place where Genie registers how values are shown in a notebook. The magics module (and extensions) add
 * their own renderers with {@link #register(Renderer)}-style calls on the kernel's {@link Renderer}.
 * <ul>
 *   <li>XChart charts ({@code org.knowm.xchart.internal.chartpart.Chart}) become {@code image/png}</li>
 *   <li>Tablesaw tables ({@code tech.tablesaw.api.Table}) become {@code text/html} (a table with a header) and
 *   {@code text/plain}</li>
 *   <li>{@link BufferedImage}s become {@code image/png}</li>
 * </ul>
 * Library classes are touched only when the library is on the class path.
 */
public final class Renderers {

    /** Rows of a table shown in HTML before the rest is summarised. */
    public static final int MAX_HTML_ROWS = 50;

    private Renderers() {
    }

    public static void registerAll(Renderer renderer) {
        renderer.createRegistration(BufferedImage.class)
                .preferring(MIMEType.IMAGE_PNG)
                .register((img, ctx) -> ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> pngBase64(img)));
        if (present("org.knowm.xchart.internal.chartpart.Chart")) XChartRenderer.register(renderer);
        if (present("tech.tablesaw.api.Table")) TablesawRenderer.register(renderer);
    }

    static boolean present(String className) {
        try {
            Class.forName(className, false, Renderers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public static byte[] png(java.awt.image.RenderedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pngBase64(java.awt.image.RenderedImage img) {
        return Base64.getEncoder().encodeToString(png(img));
    }

    public static String escapeHtml(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Wraps raw content of one MIME type, e.g. for {@code Notebook.html("...")}. */
    static DisplayData of(String mime, Object content, String plain) {
        DisplayData d = new DisplayData(plain);
        d.putData(mime, content);
        return d;
    }

    /** XChart: kept in its own class so nothing of XChart loads when it is absent. */
    static final class XChartRenderer {
        static void register(Renderer renderer) {
            renderer.createRegistration(org.knowm.xchart.internal.chartpart.Chart.class)
                    .preferring(MIMEType.IMAGE_PNG)
                    .register((chart, ctx) -> {
                        ctx.renderIfRequested(MIMEType.IMAGE_PNG, () -> Base64.getEncoder().encodeToString(png(chart)));
                        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> describe(chart));
                    });
        }

        static byte[] png(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
            try {
                return org.knowm.xchart.BitmapEncoder.getBitmapBytes(chart, org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String describe(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
            String title = chart.getTitle();
            return chart.getClass().getSimpleName() + (title == null || title.isEmpty() ? "" : " \"" + title + "\"")
                    + " " + chart.getWidth() + "x" + chart.getHeight();
        }
    }

    /** Tablesaw: kept in its own class so nothing of Tablesaw loads when it is absent. */
    static final class TablesawRenderer {
        static void register(Renderer renderer) {
            renderer.createRegistration(tech.tablesaw.api.Table.class)
                    .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                    .register((table, ctx) -> {
                        ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> html(table));
                        ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> table.print());
                    });
        }

        static String html(tech.tablesaw.api.Table t) {
            StringBuilder sb = new StringBuilder();
            sb.append("<div class=\"genie-table\">");
            sb.append("<table class=\"dataframe\" border=\"1\">");
            if (t.name() != null && !t.name().isEmpty()) {
                sb.append("<caption>").append(escapeHtml(t.name())).append("</caption>");
            }
            sb.append("<thead><tr>");
            for (String name : t.columnNames()) sb.append("<th>").append(escapeHtml(name)).append("</th>");
            sb.append("</tr></thead><tbody>");
            int rows = Math.min(t.rowCount(), MAX_HTML_ROWS);
            for (int r = 0; r < rows; r++) {
                sb.append("<tr>");
                for (int c = 0; c < t.columnCount(); c++) {
                    sb.append("<td>").append(escapeHtml(t.column(c).getString(r))).append("</td>");
                }
                sb.append("</tr>");
            }
            sb.append("</tbody></table>");
            sb.append("<p>").append(t.rowCount()).append(" rows &times; ").append(t.columnCount()).append(" columns");
            if (t.rowCount() > rows) sb.append(" (first ").append(rows).append(" shown)");
            sb.append("</p></div>");
            return sb.toString();
        }
    }
}
