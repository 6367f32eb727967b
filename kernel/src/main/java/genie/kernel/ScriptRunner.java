package genie.kernel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.magics.GenieSession;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/**
 * Runs a JShell script headless with the kernel's JShell, start-up imports, helpers, renderers and magics (line
 * {@code %genie_*}, cell {@code %%genie_*}, {@code %maven}, ...): {@code ./genie script file.jsh} or a notebook's code
 * cells, {@code ./genie script notebook.ipynb}.
 *
 * <p>A {@code .jsh} file is cut into cells like a notebook: at lines {@code //%%} when the file has them, otherwise
 * at blank lines (a part whose brackets are still open continues after the blank line). A cell magic ({@code %%name})
 * takes the lines up to the next blank line (or {@code //%%}) as its body. A cell's value (its last expression) is
 * printed as the notebook's text/plain; displays print their text/plain form, and with {@code --plots DIR} their
 * PNGs are saved there. The first failing cell ends the script with exit status 1 and the kernel's error report on
 * stderr.
 */
public final class ScriptRunner {
    /** One cell: its first line in the file (1-based) and its source. */
    public record Cell(int line, String source) {}

    private static final Pattern MARKER = Pattern.compile("^\\s*//\\s*%%.*$");
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");

    private final PrintStream out;
    private final PrintStream err;
    private final Path plots;
    private final boolean color;
    private int images;
    private volatile boolean interrupted;
    private volatile CellEvaluator evaluator;
    private volatile GenieSession session;

    public ScriptRunner(PrintStream out, PrintStream err, Path plots, boolean color) {
        this.out = out;
        this.err = err;
        this.plots = plots;
        this.color = color;
    }

    /** Cells of a file: code cells of a .ipynb, or a .jsh cut as described above. */
    public static List<Cell> cells(Path file) throws IOException {
        String text = Files.readString(file);
        return file.toString().endsWith(".ipynb") ? notebookCells(text) : scriptCells(text);
    }

    /** The code cells of a notebook (nbformat 4), numbered by their position among all cells. */
    public static List<Cell> notebookCells(String json) {
        JsonObject nb = JsonParser.parseString(json).getAsJsonObject();
        List<Cell> cells = new ArrayList<>();
        int i = 0;
        for (JsonElement e : nb.getAsJsonArray("cells")) {
            i++;
            JsonObject c = e.getAsJsonObject();
            if (!"code".equals(c.get("cell_type").getAsString())) continue;
            JsonElement src = c.get("source");
            StringBuilder sb = new StringBuilder();
            if (src.isJsonArray()) src.getAsJsonArray().forEach(s -> sb.append(s.getAsString()));
            else sb.append(src.getAsString());
            if (!sb.toString().isBlank()) cells.add(new Cell(i, sb.toString()));
        }
        return cells;
    }

    /** A .jsh cut into cells. */
    public static List<Cell> scriptCells(String text) {
        String[] lines = text.split("\r?\n", -1);
        boolean markers = false;
        for (String l : lines) markers |= MARKER.matcher(l).matches();
        List<Cell> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int start = -1;
        boolean cellMagic = false;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            boolean marker = MARKER.matcher(l).matches();
            boolean blank = l.isBlank();
            boolean boundary = marker || (blank && (cellMagic || !markers && balanced(cur.toString())));
            if (boundary) {
                add(cells, start, cur);
                cur.setLength(0);
                start = -1;
                cellMagic = false;
                continue;
            }
            if (start < 0) {
                if (blank) continue;
                start = i + 1;
                cellMagic = l.strip().startsWith("%%");
            }
            cur.append(l).append('\n');
        }
        add(cells, start, cur);
        return cells;
    }

    private static void add(List<Cell> cells, int start, StringBuilder src) {
        if (start > 0 && !src.toString().isBlank()) {
            String s = src.toString();
            cells.add(new Cell(start, s.endsWith("\n") ? s.substring(0, s.length() - 1) : s));
        }
    }

    /** True when (), [] and {} outside strings, chars and comments are closed. */
    static boolean balanced(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) return false;
                i = end + 1;
            } else if (c == '"' && s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                if (end < 0) return false;
                i = end + 2;
            } else if (c == '"' || c == '\'') {
                for (i++; i < s.length() && s.charAt(i) != c && s.charAt(i) != '\n'; i++) {
                    if (s.charAt(i) == '\\') i++;
                }
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
        }
        return depth <= 0;
    }

    /** Runs the file; 0 when every cell succeeded, 1 at the first failing cell, 130 after {@link #interrupt()}. */
    public int run(Path file) throws IOException {
        List<Cell> cells = cells(file);
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        GenieKernel kernel = GenieKernel.create();
        kernel.onStartup(); // notebook kernel + extensions (the Genie magics), JShell in the background
        ScriptSink sink = new ScriptSink();
        session = kernel.genieSession();
        session.setSink(sink);
        try {
            CellEvaluator ev = kernel.evaluator();
            evaluator = ev;
            int ran = 0;
            for (Cell cell : cells) {
                session.cancellation().clear();
                ev.reset();
                // After the clears: an interrupt that came before them is seen here, a later one stops this cell.
                if (interrupted) {
                    return stopped(file, "before the cell at line " + cell.line(), ran, cells.size());
                }
                try {
                    Object result = ev.eval(kernel.getMagicParser().resolveMagics(cell.source()));
                    out.flush();
                    sink.finishCell();
                    if (result != CellEvaluator.NO_RESULT) {
                        print(kernel.renderValue(result));
                    }
                } catch (CellException e) {
                    sink.finishCell();
                    if (interrupted) {
                        return stopped(file, "in the cell at line " + cell.line(), ran, cells.size());
                    }
                    fail(file, cell, e.ename(), e.evalue(), e.traceback());
                    return 1;
                } catch (Throwable e) {
                    sink.finishCell();
                    if (interrupted) {
                        return stopped(file, "in the cell at line " + cell.line(), ran, cells.size());
                    }
                    fail(file, cell, e.getClass().getName(), String.valueOf(e.getMessage()),
                            ErrorFormat.runtimeError(e, Map.of()));
                    return 1;
                }
                ran++;
            }
            return interrupted ? stopped(file, "after the last cell", ran, cells.size()) : 0;
        } finally {
            out.flush();
            try {
                kernel.onShutdown(false);
            } catch (RuntimeException ignored) {
                // exiting anyway
            }
        }
    }

    /**
     * Stops the running cell cooperatively (SIGINT, see {@code genie.cli.Interrupts}): engine loops end at their next
     * cancellation check, no further statement of the cell starts, and no further cell runs.
     */
    public void interrupt() {
        interrupted = true; // first, so that the loop cannot clear what follows before it looks (see run)
        GenieSession s = session;
        if (s != null) {
            s.cancellation().request();
        }
        CellEvaluator ev = evaluator;
        if (ev != null) {
            ev.markInterrupted();
        }
    }

    private int stopped(Path file, String where, int ran, int total) {
        out.flush();
        err.println("genie script: interrupted " + where + " of " + file + "; " + ran + " of " + total
                + " cells ran to the end");
        err.flush();
        return genie.cli.Interrupts.EXIT_CODE;
    }

    private void fail(Path file, Cell cell, String ename, String evalue, List<String> traceback) {
        out.flush();
        String first = cell.source().strip().lines().findFirst().orElse("");
        err.println(paint(ErrorFormat.RED + "Error" + ErrorFormat.RESET) + " in " + file + ", cell at line " + cell.line()
                + " (" + (first.length() > 60 ? first.substring(0, 60) + "..." : first) + "):");
        err.println(ename + ": " + evalue);
        for (String t : traceback) err.println(paint(t));
        err.flush();
    }

    private String paint(String s) {
        return color ? s : ANSI.matcher(s).replaceAll("");
    }

    /** Prints a value as the notebook's text/plain; saves its PNG under --plots. */
    void print(DisplayData d) {
        Object png = d.getData(MIMEType.IMAGE_PNG);
        Object plain = d.getData(MIMEType.TEXT_PLAIN);
        String text = plain == null ? "" : plain.toString();
        if (png != null && plots != null) {
            try {
                Files.createDirectories(plots);
                Path f = plots.resolve(String.format("%03d.png", ++images));
                Files.write(f, Base64.getDecoder().decode(png.toString().replaceAll("\\s", "")));
                text = text + " [saved " + f + "]";
            } catch (IOException | IllegalArgumentException e) {
                text = text + " [not saved: " + e.getMessage() + "]";
            }
        }
        if (!text.isEmpty()) out.println(paint(text));
        out.flush();
    }

    /** Displays print at once; in-place updates (progress) print their final text/plain when the cell ends. */
    final class ScriptSink implements genie.magics.Display.Sink {
        private final Map<String, DisplayData> lastUpdates = new LinkedHashMap<>();

        @Override
        public synchronized void show(DisplayData data) {
            out.flush();
            print(data);
        }

        @Override
        public synchronized void update(String id, DisplayData data) {
            if (data.getData(MIMEType.TEXT_HTML) != null && data.getData(MIMEType.IMAGE_PNG) == null) {
                lastUpdates.put(id, data);
            }
        }

        synchronized void finishCell() {
            for (DisplayData d : lastUpdates.values()) {
                Object plain = d.getData(MIMEType.TEXT_PLAIN);
                if (plain != null) out.println(paint(plain.toString()));
            }
            lastUpdates.clear();
            out.flush();
        }
    }
}
