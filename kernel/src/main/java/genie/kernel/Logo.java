package genie.kernel;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

/** Draws the kernel logo (a lamp-blue rounded square with a "G") with Java2D. */
public final class Logo {

    private Logo() {
    }

    public static BufferedImage image(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0x3B, 0x5B, 0xDB), size, size, new Color(0x7B, 0x2F, 0xBE)));
        int arc = size / 4;
        g.fillRoundRect(0, 0, size, size, arc, arc);
        g.setColor(new Color(0xF7, 0xB5, 0x00));
        g.setStroke(new BasicStroke(Math.max(1f, size / 16f)));
        g.drawArc(size / 8, size / 8, size * 3 / 4, size * 3 / 4, 200, 140);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size * 5 / 8));
        var fm = g.getFontMetrics();
        String s = "G";
        g.drawString(s, (size - fm.stringWidth(s)) / 2, (size - fm.getHeight()) / 2 + fm.getAscent());
        g.dispose();
        return img;
    }

    public static byte[] png(int size) {
        return genie.magics.Display.png(image(size));
    }

    /** Writes logo-32x32.png and logo-64x64.png into a directory (used once to create the committed resources). */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Files.createDirectories(dir);
        for (int size : new int[]{32, 64}) Files.write(dir.resolve("logo-" + size + "x" + size + ".png"), png(size));
    }
}
