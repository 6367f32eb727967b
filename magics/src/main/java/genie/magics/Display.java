package genie.magics;

import genie.report.Charts;
import genie.report.Tables;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Shows magic output in the notebook through jjava-jupyter's own display API ({@code display_data} and
 * {@code update_display_data}), so it works in any jjava-based kernel. Outside a notebook (scripts, tests)
 * nothing is shown unless the session has a {@link Sink}.
 */
public final class Display {
    /** Where displays go. */
    public interface Sink {
        void show(DisplayData data);

        void update(String id, DisplayData data);
    }

    /** A sink that keeps everything (tests). */
    public static final class Recording implements Sink {
        public final List<DisplayData> shown = new ArrayList<>();
        public final List<DisplayData> updates = new ArrayList<>();

        @Override
        public synchronized void show(DisplayData data) {
            shown.add(data);
        }

        @Override
        public synchronized void update(String id, DisplayData data) {
            updates.add(data);
        }
    }

    private Display() {}

    /** The current session's sink ({@link GenieSession#setSink}), else the notebook's display when attached. */
    static Sink sink() {
        Sink override = GenieSession.current().sink();
        if (override != null) {
            return override;
        }
        BaseKernel k = GenieSession.notebookKernel();
        if (k == null || !k.getIO().display.isAttached()) {
            return null;
        }
        return new Sink() {
            @Override
            public void show(DisplayData data) {
                System.out.flush();
                k.display(data);
            }

            @Override
            public void update(String id, DisplayData data) {
                k.getIO().display.updateDisplay(id, data);
            }
        };
    }

    public static boolean active() {
        return sink() != null;
    }

    /** Shows a chart, table, image, DisplayData or text now; returns its display id (null when not shown). */
    public static String show(Object value) {
        Sink s = sink();
        if (s == null) {
            return null;
        }
        DisplayData d = new DisplayData(render(value));
        String id = UUID.randomUUID().toString();
        d.setDisplayId(id);
        s.show(d);
        return id;
    }

    /** Replaces what is shown under {@code id}. */
    public static void update(String id, Object value) {
        Sink s = sink();
        if (s == null || id == null) {
            return;
        }
        s.update(id, new DisplayData(render(value)));
    }

    /** The notebook form of a value: charts and images as PNG, tables as HTML, with a text/plain fallback. */
    public static DisplayData render(Object value) {
        if (value instanceof DisplayData d) {
            return d;
        }
        if (value instanceof Chart<?, ?> c) {
            String title = c.getTitle() == null || c.getTitle().isEmpty() ? "" : " \"" + c.getTitle() + "\"";
            DisplayData d = new DisplayData(c.getClass().getSimpleName() + title + " " + c.getWidth() + "x" + c.getHeight());
            d.putData("image/png", Base64.getEncoder().encodeToString(Charts.png(c)));
            return d;
        }
        if (value instanceof RenderedImage img) {
            DisplayData d = new DisplayData("image " + img.getWidth() + "x" + img.getHeight());
            d.putData("image/png", Base64.getEncoder().encodeToString(png(img)));
            return d;
        }
        if (value instanceof Table t) {
            DisplayData d = new DisplayData(t.print());
            d.putHTML(Tables.html(t));
            return d;
        }
        return new DisplayData(String.valueOf(value));
    }

    public static DisplayData html(String html, String plain) {
        DisplayData d = new DisplayData(plain);
        d.putHTML(html);
        return d;
    }

    /**
     * Makes a kernel's renderer show charts, images and tables as {@link #render} does, so a cell's value looks like
     * the same value shown by a magic.
     */
    public static void register(Renderer renderer) {
        renderer.createRegistration(Chart.class).preferring(MIMEType.IMAGE_PNG)
                .register((c, ctx) -> put(ctx, render(c), MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN));
        renderer.createRegistration(BufferedImage.class).preferring(MIMEType.IMAGE_PNG)
                .register((img, ctx) -> put(ctx, render(img), MIMEType.IMAGE_PNG, MIMEType.TEXT_PLAIN));
        renderer.createRegistration(Table.class).preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((t, ctx) -> put(ctx, render(t), MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN));
    }

    private static void put(RenderContext ctx, DisplayData d, MIMEType... types) {
        for (MIMEType type : types) {
            ctx.renderIfRequested(type, () -> d.getData(type));
        }
    }

    public static byte[] png(RenderedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
