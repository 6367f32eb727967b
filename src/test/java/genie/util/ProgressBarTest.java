package genie.util;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A log gets a line per tenth of the work, not a carriage-return frame per iteration; a terminal gets frames. */
class ProgressBarTest {
    static String run(boolean frames, int steps) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ProgressBar bar = new ProgressBar(out, "synth genie", steps, true, frames);
        for (int i = 1; i <= steps; i++) {
            bar.update(i, "loss 0.1");
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLogGetsOneLinePerTenthAndNoCarriageReturns() {
        String log = run(false, 5000);
        assertFalse(log.contains("\r"), log);
        List<String> lines = log.lines().toList();
        // the first update (the start) and one per tenth; the last says 100 %
        assertTrue(lines.size() >= 10 && lines.size() <= 11, lines.size() + " lines:\n" + log);
        assertTrue(lines.get(lines.size() - 1).contains("5000/5000 100.0%"), log);
        for (int tenth = 1; tenth <= 10; tenth++) {
            String pct = String.format(java.util.Locale.ROOT, "%5.1f%%", tenth * 10.0);
            assertEquals(1, lines.stream().filter(l -> l.contains(pct)).count(), pct + " in\n" + log);
        }
    }

    @Test
    void aTerminalGetsFramesRedrawnInPlace() {
        String tty = run(true, 50);
        assertTrue(tty.startsWith("\r"), tty);
        assertEquals(1, tty.chars().filter(c -> c == '\n').count(), "one line, redrawn, ended at 100 %");
        assertTrue(tty.stripTrailing().endsWith("loss 0.1"), tty);
    }
}
