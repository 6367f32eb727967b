package genie.report;

import genie.data.ImageSet;
import genie.data.Normalization;
import genie.nn.Model;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Image grids: (synthetic) images with the teacher's top-1 label and confidence under each. */
public final class Images {
    private Images() {}

    /** The first {@code count} images in a grid of {@code columns}, labelled by the teacher. */
    public static BufferedImage grid(Model teacher, ImageSet set, int count, int columns) {
        int n = Math.max(0, Math.min(count, set.size()));
        double[][] pred = Probes.predictions(teacher, set, n);
        List<String> classes = teacher.spec().classes();
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            int c = (int) pred[i][0];
            String name = classes != null && c < classes.size() ? classes.get(c) : "class " + c;
            labels[i] = String.format(Locale.ROOT, "%s %.0f%%", name, 100 * pred[i][1]);
        }
        return grid(set, teacher.normalization(), labels, columns);
    }

    /** Images with the given captions (one per image, {@code labels.length} images). */
    public static BufferedImage grid(ImageSet set, Normalization norm, String[] labels, int columns) {
        int n = labels.length;
        int cols = Math.max(1, Math.min(columns, Math.max(1, n)));
        int rows = Math.max(1, (n + cols - 1) / cols);
        int h = set.height();
        int w = set.width();
        int zoom = Math.max(1, 84 / Math.max(h, w));
        int cellW = Math.max(w * zoom, 96) + 8;
        int cellH = h * zoom + 24;
        BufferedImage out = new BufferedImage(cols * cellW, rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < n; i++) {
            int[] px = norm.denormalize(set, i);
            int x0 = (i % cols) * cellW + (cellW - w * zoom) / 2;
            int y0 = (i / cols) * cellH + 2;
            int plane = h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int r;
                    int gg;
                    int b;
                    if (set.channels() >= 3) {
                        r = px[y * w + x];
                        gg = px[plane + y * w + x];
                        b = px[2 * plane + y * w + x];
                    } else {
                        r = gg = b = px[y * w + x];
                    }
                    g.setColor(new Color(r, gg, b));
                    g.fillRect(x0 + x * zoom, y0 + y * zoom, zoom, zoom);
                }
            }
            g.setColor(Color.DARK_GRAY);
            String text = labels[i];
            int tw = g.getFontMetrics().stringWidth(text);
            g.drawString(text, (i % cols) * cellW + Math.max(2, (cellW - tw) / 2), y0 + h * zoom + 15);
        }
        g.dispose();
        return out;
    }

    /** Writes a PNG. */
    public static Path save(BufferedImage img, Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        javax.imageio.ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
