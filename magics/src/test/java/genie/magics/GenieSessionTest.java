package genie.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import genie.data.ImageSet;
import genie.eval.Evaluator;
import genie.nn.Model;
import genie.report.ResultRow;
import genie.util.Cancellation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kernel session has its own token, values and results; code outside a session is never cancelled. */
class GenieSessionTest {
    @TempDir
    Path dir;

    @Test
    void twoSessionsHaveIndependentTokens() {
        GenieSession a = new GenieSession();
        GenieSession b = new GenieSession();
        a.cancellation().request();
        assertTrue(a.cancellation().requested());
        assertFalse(b.cancellation().requested());
    }

    @Test
    void currentIsTheKernelsSessionAndOutsideAKernelAFreshOneEachTime() {
        try (TestKernel k = new TestKernel()) {
            assertSame(k.genieSession(), GenieSession.current());
        }
        assertNotSame(GenieSession.current(), GenieSession.current());
        assertSame(Cancellation.none(), GenieSession.current().cancellation());
    }

    @Test
    void cancellingAKernelSessionStopsItsRunsButNotALibraryUsersRun() throws Exception {
        try (Model teacher = Genie.load(TinyTeacher.write(dir).toString(), null)) {
            ImageSet images = TinyTeacher.images(8, 1);
            try (TestKernel k = new TestKernel()) {
                k.genieSession().cancellation().request();
                assertThrows(Cancellation.CancelledException.class, () -> Genie.eval(teacher, images));
                assertEquals(8, new Evaluator().evaluate(teacher, images).images(), "a library run has its own token");
            }
            assertEquals(8, Genie.eval(teacher, images).images(), "outside a kernel nothing is cancelled");
        }
    }

    @Test
    void valuesAndResultsBelongToTheirSession() {
        ResultRow row = new ResultRow("rtn", 4, 4, "-", 0, 0, 50, 8, 0);
        try (TestKernel k = new TestKernel()) {
            Session.put("x", 1);
            Genie.record(row);
            assertEquals(1, Genie.results().size());
            assertTrue(k.genieSession().bindings().has("x"));
        }
        try (TestKernel k = new TestKernel()) {
            assertFalse(Session.has("x"));
            assertTrue(Genie.results().isEmpty());
        }
        Genie.record(row);
        assertTrue(Genie.results().isEmpty(), "outside a kernel no session keeps rows");
    }
}
