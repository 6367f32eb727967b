package genie.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import genie.magics.Bindings;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Evaluates a cell with JShell: splits it into snippets, runs them in order, keeps the value of the last expression,
 * and turns failures into {@link CellException}s that point at cell lines.
 */
public final class CellEvaluator {

    /** Returned when the cell has no value to show. */
    public static final Object NO_RESULT = new Object() {
        @Override
        public String toString() {
            return "<no result>";
        }
    };

    private static final Pattern LAST_LINE_INDENT = Pattern.compile("(?:^|\n)([ \t]*)[^\n]*$");

    private final JShell shell;
    private final GenieExecutionControlProvider provider;
    private final Bindings bindings;
    private volatile boolean interrupted;

    CellEvaluator(JShell shell, GenieExecutionControlProvider provider, Bindings bindings) {
        this.shell = shell;
        this.provider = provider;
        this.bindings = bindings;
    }

    JShell shell() {
        return shell;
    }

    GenieExecutionControl control() {
        return provider.control();
    }

    /** Marks the running cell as interrupted: no further snippet of it starts. */
    void markInterrupted() {
        interrupted = true;
    }

    /** Evaluates a whole cell; returns the last expression value, null, or {@link #NO_RESULT}. */
    /** Clears the interrupt mark; the kernel calls it before each cell (not per eval: %load evaluates nested). */
    void reset() {
        interrupted = false;
    }

    public Object eval(String cell) {
        Map<String, Integer> snippetLines = new HashMap<>();
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        Object result = NO_RESULT;
        int offset = 0;
        SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(cell);
        while (info.completeness().isComplete()) {
            if (interrupted) throw CellException.interrupted("the cell was interrupted");
            String remaining = info.remaining();
            try {
                result = evalSnippet(cell, offset, info.source(), snippetLines);
            } finally {
                bindMagicResults();
            }
            offset = cell.length() - remaining.length();
            info = sca.analyzeCompletion(remaining);
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            String rest = info.remaining();
            int[] lc = ErrorFormat.lineColumn(cell, offset + leadingWhitespace(rest));
            if (info.completeness() == SourceCodeAnalysis.Completeness.UNKNOWN) {
                // Let the compiler say what is wrong with it.
                try {
                    result = evalSnippet(cell, offset, rest, snippetLines);
                } finally {
                    bindMagicResults();
                }
            } else {
                throw new CellException("IncompleteInput", "incomplete input at line " + lc[0],
                        List.of(ErrorFormat.RED + "Incomplete input" + ErrorFormat.RESET + " starting at line " + lc[0]
                                + ", column " + lc[1] + ":", rest.strip()));
            }
        }
        return result;
    }

    /**
     * Declares the variables Genie magics bound with {@code --as NAME} (the session's {@link Bindings}) right after
     * the snippet that ran the magic, so the rest of the cell and later cells can use them.
     */
    void bindMagicResults() {
        GenieExecutionControl control = provider.control();
        for (String src : bindings.drainBindings()) {
            for (SnippetEvent e : shell.eval(src)) {
                if (e.value() != null && e.causeSnippet() == null && e.snippet().subKind().isExecutable()) {
                    control.takeResult(e.value());
                }
                if (e.causeSnippet() == null && !e.status().isDefined()) {
                    System.err.println("genie-kernel: could not bind: " + src);
                }
            }
        }
    }

    private static int leadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    private Object evalSnippet(String cell, int snippetOffset, String snippetSource, Map<String, Integer> snippetLines) {
        // evaluate from the first non-blank character so that JShell's positions and lines start where we count
        int ws = leadingWhitespace(snippetSource);
        if (ws >= snippetSource.length()) ws = 0;
        final String source = snippetSource.substring(ws);
        final int offset = snippetOffset + ws;
        GenieExecutionControl control = provider.control();
        List<SnippetEvent> events = shell.eval(source);
        Object result = NO_RESULT;
        // take every stored value first so that nothing leaks when we throw below
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == null) {
                snippetLines.put(e.snippet().id(), ErrorFormat.lineColumn(cell, offset)[0]);
            }
            String key = e.value();
            if (key == null || e.causeSnippet() != null) continue;
            Snippet.SubKind kind = e.snippet().subKind();
            Object value = kind.isExecutable() ? control.takeResult(key) : null;
            switch (kind) {
                case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND ->
                        result = isDisplayCall(e.snippet().source()) ? NO_RESULT : value;
                default -> result = NO_RESULT;
            }
        }
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) continue;
            JShellException ex = e.exception();
            if (ex != null) throw runtimeFailure(ex, control, snippetLines);
            Snippet snippet = e.snippet();
            if (!e.status().isDefined()) {
                List<ErrorFormat.Problem> problems = new ArrayList<>();
                shell.diagnostics(snippet).forEach(d -> problems.add(problem(d, offset)));
                List<String> tb = new ArrayList<>(ErrorFormat.compileErrors(cell, problems));
                String evalue = problems.isEmpty() ? "compilation failed" : problems.get(0).message();
                if (snippet instanceof DeclarationSnippet) {
                    List<String> deps = shell.unresolvedDependencies((DeclarationSnippet) snippet).toList();
                    if (!deps.isEmpty()) tb.add("Unresolved: " + String.join(", ", deps));
                }
                if (problems.isEmpty() && tb.isEmpty()) tb.add("Compilation failed: " + source.strip());
                throw new CellException("CompilationError", firstLine(evalue), tb);
            }
            if (snippet instanceof DeclarationSnippet ds && e.status() == Snippet.Status.RECOVERABLE_DEFINED) {
                List<String> deps = shell.unresolvedDependencies(ds).toList();
                if (!deps.isEmpty()) {
                    System.err.println("Note: " + ds.name() + " is declared, but cannot be used until "
                            + String.join(", ", deps) + " is defined.");
                }
            }
        }
        return result;
    }

    private static ErrorFormat.Problem problem(Diag d, int offset) {
        long start = d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition();
        long end = d.getEndPosition() >= 0 ? d.getEndPosition() : start + 1;
        return new ErrorFormat.Problem(offset + Math.max(0, start), offset + Math.max(0, end), d.getMessage(null));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private RuntimeException runtimeFailure(JShellException ex, GenieExecutionControl control,
                                            Map<String, Integer> snippetLines) {
        if (ex instanceof EvalException ee) {
            String cls = ee.getExceptionClassName();
            if (GenieExecutionControl.INTERRUPTED.equals(cls)) {
                return CellException.interrupted("the cell did not stop at a cancellation check in time and was "
                        + "stopped hard; what it was doing may be half done");
            }
            Throwable real = control.takeLastThrowable();
            if (real != null && isCancellation(real)) {
                // the engine's message says what was kept (e.g. which units stay reconstructed)
                return CellException.interrupted("the engine stopped at a cancellation check: "
                        + cancellation(real).getMessage());
            }
            if (real == null) {
                real = new RuntimeException(cls + ": " + ee.getMessage());
            }
            // JShell's copy of the frames is mapped to snippets (#id, snippet line): use it for the top level.
            real.setStackTrace(ee.getStackTrace());
            return new CellException(real.getClass().getName(), String.valueOf(real.getMessage()),
                    ErrorFormat.runtimeError(real, snippetLines));
        }
        if (ex instanceof UnresolvedReferenceException ure) {
            DeclarationSnippet s = ure.getSnippet();
            List<String> deps = shell.unresolvedDependencies(s).toList();
            String msg = s.name() + " cannot be invoked until " + String.join(", ", deps) + " is declared";
            return new CellException("UnresolvedReference", msg, List.of(ErrorFormat.RED + "Unresolved reference"
                    + ErrorFormat.RESET + ": " + msg));
        }
        return new CellException(ex.getClass().getName(), String.valueOf(ex.getMessage()),
                ErrorFormat.runtimeError(ex, snippetLines));
    }

    private static final Pattern DISPLAY_CALL =
            Pattern.compile("\\s*(?:Notebook\\.)?(?:display|updateDisplay)\\s*\\(.*\\)\\s*;?\\s*", Pattern.DOTALL);

    /** A bare {@code display(x)} statement shows x, not the display id it returns. */
    static boolean isDisplayCall(String source) {
        return DISPLAY_CALL.matcher(source).matches();
    }

    static boolean isCancellation(Throwable t) {
        return cancellation(t) != null;
    }

    /** The engine's CancelledException in the cause chain (a magic wraps it), or null. */
    static Throwable cancellation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getClass().getName().equals("genie.util.Cancellation$CancelledException")) return c;
            if (c.getCause() == c) break;
        }
        return null;
    }

    /** Jupyter is_complete: "complete", "invalid", "unknown", or the indent for the next line when incomplete. */
    public String isComplete(String code) {
        SourceCodeAnalysis sca = shell.sourceCodeAnalysis();
        SourceCodeAnalysis.CompletionInfo info = sca.analyzeCompletion(code);
        // note: JShell counts UNKNOWN (unparseable) as "complete" so that it gets compiled and reported
        while (info.completeness() == SourceCodeAnalysis.Completeness.COMPLETE
                || info.completeness() == SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI) {
            info = sca.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case EMPTY, COMPLETE, COMPLETE_WITH_SEMI -> "complete";
            case UNKNOWN -> "invalid";
            case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> indentFor(info.remaining());
        };
    }

    /** The indent to continue an incomplete statement: the last line's indent, plus 4 spaces after an open brace. */
    static String indentFor(String partial) {
        Matcher m = LAST_LINE_INDENT.matcher(partial);
        String indent = m.find() ? m.group(1) : "";
        String trimmed = partial.stripTrailing();
        int depth = 0;
        for (char c : trimmed.toCharArray()) {
            if (c == '{' || c == '(') depth++;
            else if (c == '}' || c == ')') depth--;
        }
        if (depth > 0 && (trimmed.endsWith("{") || trimmed.endsWith("("))) indent = indent + "    ";
        return indent;
    }
}
