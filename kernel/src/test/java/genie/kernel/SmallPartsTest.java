package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.junit.jupiter.api.Test;

class SmallPartsTest {

    @Test
    void mavenCoordinates() {
        MavenResolver.Coordinate c = MavenResolver.Coordinate.parse("org.apache.commons:commons-lang3:3.14.0");
        assertEquals(new MavenResolver.Coordinate("org.apache.commons", "commons-lang3", "jar", null, "3.14.0"), c);
        MavenResolver.Coordinate n = MavenResolver.Coordinate.parse("ai.djl.pytorch:pytorch-native-cpu:jar:linux-x86_64:2.7.1");
        assertEquals("linux-x86_64", n.classifier());
        assertThrows(IllegalArgumentException.class, () -> MavenResolver.Coordinate.parse("just-a-name"));
        assertThrows(IllegalArgumentException.class, () -> MavenResolver.Coordinate.parse("g::1"));
        String pom = MavenResolver.pom(List.of(c, n));
        assertTrue(pom.contains("<artifactId>commons-lang3</artifactId><version>3.14.0</version>"), pom);
        assertTrue(pom.contains("<classifier>linux-x86_64</classifier>"), pom);
    }

    @Test
    void historySearchTailRange() {
        InMemoryHistory h = new InMemoryHistory();
        h.add(1, "6 * 7", "42");
        h.add(2, "1 + 1", "2");
        h.add(3, "6 * 7", "42");
        Set<ResultFlag> none = EnumSet.noneOf(ResultFlag.class);
        assertEquals(2, h.search("6*7", 0, none).size());
        assertEquals(1, h.search("6*7", 0, EnumSet.of(ResultFlag.UNIQUE)).size());
        assertEquals(1, h.search("6*7", 1, none).size());
        List<HistoryEntry> tail = h.lookupTail(2, EnumSet.of(ResultFlag.INCLUDE_OUTPUT));
        assertEquals(2, tail.get(0).getCellNumber());
        assertEquals("2", tail.get(0).getOutput());
        assertFalse(h.lookupTail(1, none).get(0).hasOutput());
        assertEquals(1, h.lookupRange(1, 2, 3, none).size());
    }

    @Test
    void displayCallsAreNotResults() {
        assertTrue(CellEvaluator.isDisplayCall("display(chart)"));
        assertTrue(CellEvaluator.isDisplayCall("Notebook.updateDisplay(id, t);"));
        assertFalse(CellEvaluator.isDisplayCall("String id = display(chart);"));
        assertFalse(CellEvaluator.isDisplayCall("chart"));
    }

    @Test
    void indentAfterOpenBrace() {
        assertEquals("    ", CellEvaluator.indentFor("if (x) {"));
        assertEquals("      ", CellEvaluator.indentFor("void f() {\n  if (x) {"));
        assertEquals("", CellEvaluator.indentFor("int y = 1 +"));
    }
}
