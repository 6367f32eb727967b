package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jdk.jshell.JShell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The evaluator on a real JShell in this JVM, without Jupyter. */
class CellEvaluatorTest {

    static JShell shell;
    static CellEvaluator ev;

    @BeforeAll
    static void start() {
        GenieExecutionControlProvider provider = new GenieExecutionControlProvider(CellEvaluatorTest.class.getClassLoader());
        shell = JShell.builder().executionEngine(provider, Map.of()).build();
        ev = new CellEvaluator(shell, provider, new genie.magics.Bindings());
        for (String s : ShellStartup.snippets()) shell.eval(s);
    }

    @AfterAll
    static void stop() {
        shell.close();
    }

    @Test
    void isComplete() {
        assertEquals("complete", ev.isComplete("1 + 1"));
        assertEquals("complete", ev.isComplete("int x = 1; int y = 2;"));
        assertEquals("complete", ev.isComplete(""));
        assertEquals("    ", ev.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals("", ev.isComplete("int y = 1 +"));
        assertEquals("invalid", ev.isComplete("int x = ;"));
        assertEquals("invalid", ev.isComplete("x = )"));
    }

    @Test
    void lastExpressionIsTheLiveObject() {
        Object v = ev.eval("var list = new ArrayList<String>();\nlist.add(\"a\");\nlist");
        assertTrue(v instanceof java.util.List<?> l && l.size() == 1, String.valueOf(v));
        assertSame(CellEvaluator.NO_RESULT, ev.eval("int unused = 3;"));
    }

    @Test
    void compileErrorIsCellException() {
        CellException e = assertThrows(CellException.class, () -> ev.eval("int a = 1;\n\n  String s = 5;"));
        assertEquals("CompilationError", e.ename());
        assertTrue(ErrorFormatTest.plain(e.traceback()).contains("line 3, column 14"), e.traceback().toString());
    }

    @Test
    void runtimeErrorNamesTheUserLine() {
        CellException e = assertThrows(CellException.class,
                () -> ev.eval("int[] arr = new int[1];\nint z = arr[5];"));
        assertEquals("java.lang.ArrayIndexOutOfBoundsException", e.ename());
        assertTrue(ErrorFormatTest.plain(e.traceback()).contains("<cell> (cell line 2)"), e.traceback().toString());
    }

    @Test
    void genieApiIsImported() {
        assertEquals(Boolean.FALSE, ev.eval("Cancellation.none().requested()"));
    }

    @Test
    void stopKillsACpuLoopAndKeepsState() throws Exception {
        ev.eval("long[] counter = {0};");
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            try {
                ev.eval("while (true) { counter[0]++; }");
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(500);
        ev.markInterrupted();
        // On a loaded machine the snippet may still be compiling when the first stop arrives: stop again until
        // the cell ends (the kernel's interrupt path does the same through its grace period).
        Throwable t = null;
        for (int i = 0; i < 40 && !run.isDone(); i++) {
            shell.stop();
            try {
                t = run.get(500, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // keep stopping
            }
        }
        t = run.get(1, TimeUnit.SECONDS);
        assertTrue(t instanceof CellException ce && ce.ename().equals("Interrupted"), String.valueOf(t));
        ev.reset();
        long a = (Long) ev.eval("counter[0]");
        Thread.sleep(300);
        long b = (Long) ev.eval("counter[0]");
        assertTrue(a > 0);
        assertEquals(a, b);
    }
}
