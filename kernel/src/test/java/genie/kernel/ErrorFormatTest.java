package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ErrorFormatTest {

    static String plain(List<String> lines) {
        return String.join("\n", lines).replaceAll("\u001b\\[[0-9;]*m", "");
    }

    @Test
    void lineAndColumn() {
        assertArrayEquals(new int[]{1, 1}, ErrorFormat.lineColumn("abc", 0));
        assertArrayEquals(new int[]{2, 3}, ErrorFormat.lineColumn("ab\ncdef", 5));
    }

    @Test
    void compileErrorPointsAtLineColumnAndCode() {
        String cell = "int ok = 1;\nint bad = \"text\";";
        int start = cell.indexOf("\"text\"");
        String out = plain(ErrorFormat.compileErrors(cell,
                List.of(new ErrorFormat.Problem(start, start + 6, "incompatible types\n  location: here"))));
        assertTrue(out.contains("line 2, column 11: incompatible types"), out);
        assertFalse(out.contains("location:"), out);
        assertTrue(out.contains("   2 | int bad = \"text\";"), out);
        assertTrue(out.contains("     |           ^^^^^^"), out);
    }

    @Test
    void runtimeErrorShowsUserFramesFirstAndFoldsMachinery() {
        RuntimeException e = new IllegalStateException("boom", new java.io.IOException("disk"));
        e.setStackTrace(new StackTraceElement[]{
                new StackTraceElement("genie.nn.Layer", "forward", "Layer.java", 42),
                new StackTraceElement("genie.nn.Model", "run", "Model.java", 10),
                new StackTraceElement("java.util.ArrayList", "forEach", "ArrayList.java", 1),
                new StackTraceElement("genie.nn.Model", "all", "Model.java", 3),
                new StackTraceElement("", "train", "#7", 2),
                new StackTraceElement("", "", "#8", 1),
                new StackTraceElement("jdk.internal.reflect.NativeMethodAccessorImpl", "invoke0", null, -2),
                new StackTraceElement("java.lang.reflect.Method", "invoke", "Method.java", 568),
                new StackTraceElement("genie.kernel.GenieExecutionControl", "lambda$invoke$0", "X.java", 1),
        });
        String out = plain(ErrorFormat.runtimeError(e, Map.of("8", 3)));
        String[] lines = out.split("\n");
        assertEquals("java.lang.IllegalStateException: boom", lines[0]);
        assertEquals("  in your code:", lines[1]);
        assertEquals("    at train (snippet #7 line 2, earlier cell)", lines[2]);
        assertEquals("    at <cell> (cell line 3)", lines[3]);
        assertTrue(out.contains("thrown in:\n    at genie.nn.Layer.forward(Layer.java:42)"), out);
        assertTrue(out.contains("... 1 engine/library frames folded"), out);
        assertTrue(out.contains("(3 JShell/kernel frames folded)"), out);
        assertFalse(out.contains("NativeMethodAccessorImpl"), out);
        assertTrue(out.contains("Caused by: java.io.IOException: disk"), out);
    }

    @Test
    void interruptedIsItsOwnError() {
        CellException e = CellException.interrupted("stopped");
        assertEquals("Interrupted", e.ename());
        assertTrue(plain(e.traceback()).contains("Interrupted: stopped"));
    }
}
