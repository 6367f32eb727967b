package genie.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Formats compile errors and runtime exceptions of a cell for the notebook. Pure functions of the cell text,
 * diagnostics and throwables, so they are unit-tested without Jupyter.
 */
public final class ErrorFormat {

    static final String RED = "\u001b[0;31m";
    static final String BOLD = "\u001b[1m";
    static final String RESET = "\u001b[0m";

    /** How many non-user frames above the first user frame are shown (the throw site inside a library). */
    static final int THROW_SITE_FRAMES = 3;

    private ErrorFormat() {
    }

    /** One compile diagnostic at an absolute character range of the cell. */
    public record Problem(long start, long end, String message) {
    }

    /** 1-based line and column of a character offset. */
    public static int[] lineColumn(String text, int offset) {
        offset = Math.max(0, Math.min(offset, text.length()));
        int line = 1, col = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new int[]{line, col};
    }

    /** Traceback lines for compile errors: "line L, column C: message", the offending line and a caret marker. */
    public static List<String> compileErrors(String cell, List<Problem> problems) {
        List<String> out = new ArrayList<>();
        for (Problem p : problems) {
            int start = (int) Math.max(0, Math.min(p.start(), cell.length()));
            int end = (int) Math.max(start, Math.min(p.end() < 0 ? p.start() + 1 : p.end(), cell.length()));
            int[] lc = lineColumn(cell, start);
            int lineStart = cell.lastIndexOf('\n', start - 1) + 1;
            int lineEnd = cell.indexOf('\n', start);
            if (lineEnd < 0) lineEnd = cell.length();
            String code = cell.substring(lineStart, lineEnd);
            int caretLen = Math.max(1, Math.min(end, lineEnd) - start);
            String message = firstLines(p.message());
            out.add(RED + "Compile error" + RESET + " at line " + lc[0] + ", column " + lc[1] + ": " + message);
            out.add(String.format("%4d | %s", lc[0], code));
            out.add("     | " + " ".repeat(Math.max(0, start - lineStart)) + RED + "^".repeat(caretLen) + RESET);
        }
        return out;
    }

    /** The first line(s) of a javac message, without javac's own "location:" lines. */
    private static String firstLines(String message) {
        StringBuilder sb = new StringBuilder();
        for (String line : message.split("\n")) {
            if (line.trim().startsWith("location:")) continue;
            if (sb.length() > 0) sb.append(" ");
            sb.append(line.trim());
        }
        return sb.toString();
    }

    /** Is this a frame of user code (a JShell snippet wrapper class)? */
    static boolean isUserFrame(StackTraceElement e) {
        String c = e.getClassName();
        String f = e.getFileName();
        return c.startsWith("REPL.") || c.startsWith("$JShell$") || (f != null && f.startsWith("#"));
    }

    /** Frames that belong to the kernel/JShell/reflection machinery below the user's code. */
    static boolean isMachineryFrame(StackTraceElement e) {
        String c = e.getClassName();
        return c.startsWith("genie.kernel.") || c.startsWith("jdk.jshell.") || c.startsWith("jdk.internal.reflect.")
                || c.startsWith("java.lang.reflect.") || c.equals("java.lang.Thread");
    }

    /**
     * Runtime exception traceback: header, then the user's frames (mapped to cell lines where the snippet belongs to
     * the current cell), then the top of the library/engine frames where it was thrown; every other frame is folded
     * into a count. The cause chain follows the same layout.
     *
     * @param snippetLine maps a snippet id ("12") to the 1-based cell line where the snippet starts, or null
     */
    public static List<String> runtimeError(Throwable t, Map<String, Integer> snippetLine) {
        List<String> out = new ArrayList<>();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        boolean first = true;
        while (t != null && seen.add(t)) {
            String header = t.getClass().getName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
            out.add((first ? "" : "Caused by: ") + RED + BOLD + header + RESET);
            out.addAll(frames(t.getStackTrace(), snippetLine));
            first = false;
            t = t.getCause();
        }
        return out;
    }

    static List<String> frames(StackTraceElement[] st, Map<String, Integer> snippetLine) {
        List<String> out = new ArrayList<>();
        int firstUser = -1, lastUser = -1;
        for (int i = 0; i < st.length; i++) {
            if (isUserFrame(st[i])) {
                if (firstUser < 0) firstUser = i;
                lastUser = i;
            }
        }
        if (firstUser < 0) {
            // No user frame (e.g. thrown from an engine thread): show the top frames and fold the rest.
            int shown = 0;
            int folded = 0;
            for (StackTraceElement e : st) {
                if (!isMachineryFrame(e) && shown < 2 * THROW_SITE_FRAMES) {
                    out.add("    at " + e);
                    shown++;
                } else {
                    folded++;
                }
            }
            if (folded > 0) out.add("    ... " + folded + " internal frames folded");
            return out;
        }
        // 1. the user's frames, innermost first
        out.add("  in your code:");
        int hiddenBetween = 0;
        for (int i = firstUser; i <= lastUser; i++) {
            if (isUserFrame(st[i])) {
                if (hiddenBetween > 0) {
                    out.add("      ... " + hiddenBetween + " library frames");
                    hiddenBetween = 0;
                }
                out.add("    at " + userFrame(st[i], snippetLine));
            } else {
                hiddenBetween++;
            }
        }
        // 2. where it was thrown, when that is inside a library or the engine
        if (firstUser > 0) {
            out.add("  thrown in:");
            int show = Math.min(THROW_SITE_FRAMES, firstUser);
            for (int i = 0; i < show; i++) out.add("    at " + st[i]);
            if (firstUser > show) out.add("    ... " + (firstUser - show) + " engine/library frames folded");
        }
        // 3. JShell/kernel machinery below the user's code: folded entirely
        int below = st.length - lastUser - 1;
        if (below > 0) out.add("  (" + below + " JShell/kernel frames folded)");
        return out;
    }

    static String userFrame(StackTraceElement e, Map<String, Integer> snippetLine) {
        String method = e.getMethodName();
        String where;
        String file = e.getFileName();
        String id = file != null && file.startsWith("#") ? file.substring(1) : null;
        Integer start = id == null || snippetLine == null ? null : snippetLine.get(id);
        if (start != null && e.getLineNumber() > 0) {
            where = "cell line " + (start + e.getLineNumber() - 1);
        } else if (id != null) {
            where = "snippet #" + id + (e.getLineNumber() > 0 ? " line " + e.getLineNumber() : "") + ", earlier cell";
        } else {
            where = file + ":" + e.getLineNumber();
        }
        boolean synthetic = method.isEmpty() || method.equals("do_it$") || method.startsWith("lambda$") && method.contains("do_it$");
        String cls = e.getClassName().replaceFirst("^REPL\\.\\$JShell\\$\\d+[A-Z]?\\$?", "");
        String name = synthetic ? "<cell>" : (cls.isEmpty() ? "" : cls + ".") + method;
        return name + " (" + where + ")";
    }

}
