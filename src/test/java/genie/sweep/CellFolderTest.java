package genie.sweep;

import genie.report.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cell's state is read from the markers its task script leaves beside the record. */
class CellFolderTest {
    final Cell cell = Cell.expand(SweepSpecTest.parse(SweepSpecTest.ISSUE)).get(0);

    CellState state(Path dir) {
        return CellFolder.status(cell, dir, Map.of()).state();
    }

    @Test
    void doneNeedsTheMarkerAndAFinishedRecord(@TempDir Path dir) throws Exception {
        CellFolder.prepare(dir, List.of("--seed", "0"));
        assertEquals(CellState.PENDING, state(dir));
        Record.of("run").metric("quant_top1", 88.5).write(dir);
        assertEquals(CellState.PENDING, state(dir), "a record without the done marker (killed while writing)");
        Files.writeString(dir.resolve(CellFolder.DONE), "now\n");
        assertEquals(CellState.DONE, state(dir));
        assertEquals(88.5, CellFolder.status(cell, dir, Map.of()).top1(), 0);
        Files.delete(dir.resolve(Record.FILE));
        assertEquals(CellState.PENDING, state(dir), "a deleted record is computed again");
        Record.of("run").metric("quant_top1", 88.5).metric("status", "interrupted").write(dir);
        assertEquals(CellState.PENDING, state(dir), "an interrupted record is not a result");
    }

    @Test
    void aFailureKeepsItsExitCodeAndTheLogsTail(@TempDir Path dir) throws Exception {
        CellFolder.prepare(dir, List.of());
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 30; i++) log.append("line ").append(i).append("\r\n");
        log.append("genie run: error: file not found: /x/w.safetensors\n");
        Files.writeString(dir.resolve(CellFolder.LOG), log);
        Files.writeString(dir.resolve(CellFolder.FAILED), "2\n");
        CellStatus s = CellFolder.status(cell, dir, Map.of());
        assertEquals(CellState.FAILED, s.state());
        assertTrue(s.detail().startsWith("exit 2\n"), s.detail());
        assertTrue(s.detail().endsWith("genie run: error: file not found: /x/w.safetensors"), s.detail());
        assertEquals(CellFolder.TAIL_LINES + 1, s.detail().lines().count());
        CellFolder.prepare(dir, List.of());
        assertEquals(CellState.PENDING, state(dir), "a retried cell starts clean");
    }

    @Test
    void runningMeansALiveProcessOnThisHostOrATaskSlurmStillHolds(@TempDir Path dir) throws Exception {
        CellFolder.prepare(dir, List.of());
        Files.writeString(dir.resolve(CellFolder.STARTED), CellFolder.host() + " " + ProcessHandle.current().pid() + "  \n");
        assertEquals(CellState.RUNNING, state(dir));
        Files.writeString(dir.resolve(CellFolder.STARTED), CellFolder.host() + " 999999999  \n");
        assertEquals(CellState.PENDING, state(dir), "a worker that died without its marker");
        assertEquals(CellState.PENDING, CellFolder.status(cell, dir, Map.of(dir, "queued in job 7_3 (pending)")).state());
        assertEquals(CellState.RUNNING, CellFolder.status(cell, dir, Map.of(dir, "running in job 7_3 on n1")).state());
    }
}
