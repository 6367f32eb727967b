package genie.util;

import java.nio.file.Path;

/**
 * A path as messages show it: relative to the working folder when inside it, else from {@code ~}. Notebook outputs
 * are committed and shared, so they should not carry the folder layout of the machine that ran them.
 */
public final class DisplayPath {
    private DisplayPath() {}

    public static String of(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath();
        if (abs.startsWith(here)) {
            return here.relativize(abs).toString();
        }
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath();
        if (abs.startsWith(home) && !home.toString().equals("/")) {
            return "~/" + home.relativize(abs);
        }
        return p.toString();
    }
}
