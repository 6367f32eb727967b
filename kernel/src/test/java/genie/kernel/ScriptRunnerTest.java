package genie.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genie script}: cutting files into cells, and running them headless with values, magics and errors. */
class ScriptRunnerTest {

    @Test
    void blankLinesCutCellsUnlessBracketsAreOpen() {
        List<ScriptRunner.Cell> cells = ScriptRunner.scriptCells("""
                int a = 1;

                void f() {
                    int b = 2;

                    a += b;
                }

                %%genie_synth --as data
                --samples 8

                a
                """);
        assertEquals(List.of(1, 3, 9, 12), cells.stream().map(ScriptRunner.Cell::line).toList());
        assertTrue(cells.get(1).source().contains("a += b;"));
        assertEquals("%%genie_synth --as data\n--samples 8", cells.get(2).source());
    }

    @Test
    void markersWinOverBlankLines() {
        List<ScriptRunner.Cell> cells = ScriptRunner.scriptCells("int a = 1;\n\nint b = 2;\n//%%\nint c = 3;\n");
        assertEquals(2, cells.size());
        assertEquals("int a = 1;\n\nint b = 2;", cells.get(0).source());
    }

    @Test
    void balancedIgnoresStringsAndComments() {
        assertTrue(ScriptRunner.balanced("String s = \"{(\"; // {\n"));
        assertFalse(ScriptRunner.balanced("for (int i = 0; i < 2; i++) {"));
        assertTrue(ScriptRunner.balanced("String t = \"\"\"\n  }{\n  \"\"\";"));
    }

    @Test
    void notebookCodeCellsInOrder() {
        String nb = "{\"cells\": [{\"cell_type\": \"markdown\", \"source\": [\"# x\"]},"
                + "{\"cell_type\": \"code\", \"source\": [\"int a = 1;\\n\", \"a + 1\"]}], \"nbformat\": 4}";
        List<ScriptRunner.Cell> cells = ScriptRunner.notebookCells(nb);
        assertEquals(1, cells.size());
        assertEquals(2, cells.get(0).line());
        assertEquals("int a = 1;\na + 1", cells.get(0).source());
    }

    @Test
    void runsCellsPrintsValuesAndStopsAtTheFirstError(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("t.jsh");
        Files.writeString(file, """
                int a = 40;

                a + 2

                %classpath

                throw new IllegalStateException("boom");

                System.out.println("not reached");
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(out, true));
            rc = new ScriptRunner(System.out, new PrintStream(err, true), null, false).run(file);
        } finally {
            System.setOut(oldOut);
        }
        String o = out.toString();
        String e = err.toString();
        assertEquals(1, rc, o + e);
        assertTrue(o.contains("42"), o);
        assertTrue(o.contains("kernel/target/classes") || o.contains("classes"), o);
        assertFalse(o.contains("not reached"), o);
        assertTrue(e.contains("cell at line 7") && e.contains("IllegalStateException") && e.contains("boom"), e);
        assertFalse(e.contains("\u001b["), "no ANSI colors when not asked: " + e);
    }
}
