package genie.magics;

import genie.report.Charts;
import genie.report.Tables;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
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
 * nothing is shown unless a {@link Sink} is set.
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

    private static volatile Sink override;

    private Display() {}

    /** Replaces the notebook as destination (null: back to the notebook). */
    public static void setSink(Sink sink) {
        override = sink;
    }

    static Sink sink() {
        if (override != null) {
            return override;
        }
        BaseKernel k = BaseKernel.notebookKernel();
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
            DisplayData d = new DisplayData(c.getClass().getSimpleName() + " \"" + c.getTitle() + "\" " + c.getWidth()
                    + "x" + c.getHeight());
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

    static byte[] png(RenderedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
