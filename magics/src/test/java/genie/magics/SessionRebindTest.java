package genie.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import genie.nn.Model;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebinding a name closes the native memory of the value it replaced, unless something bound still holds it. */
class SessionRebindTest {
    @TempDir
    static Path dir;
    static Path spec;

    @BeforeAll
    static void writeModel() throws Exception {
        spec = TinyTeacher.write(dir);
    }

    TestKernel kernel;

    @BeforeEach
    void fresh() {
        kernel = TestKernel.showingOn(new Display.Recording());
    }

    @AfterEach
    void done() {
        kernel.close();
    }

    private static Model load(String as) throws Exception {
        return GenieMagics.load(List.of("--model", spec.toString(), "--as", as));
    }

    @Test
    void reloadingUnderTheSameNameClosesTheOldModel() throws Exception {
        Model first = load("m");
        Model second = load("m");
        assertFalse(first.manager().isOpen(), "the replaced model still holds native memory");
        assertTrue(second.manager().isOpen());
        assertEquals(second, Session.get("m"));
        second.close();
    }

    @Test
    void aModelStillBoundUnderAnotherNameStaysOpenUntilThatNameMovesOn() throws Exception {
        Model first = load("m");
        Session.put("keep", first);
        Model second = load("m");
        assertTrue(first.manager().isOpen(), "closed although still bound as 'keep'");
        Session.put("keep", "something else");
        assertFalse(first.manager().isOpen());
        second.close();
    }

    @Test
    void theTeacherOfABoundQuantizationStaysOpenUntilTheQuantizationIsReplaced() throws Exception {
        Model teacher = load("m");
        Session.put("calib", TinyTeacher.images(8, 3));
        GenieMagics.quantize(List.of("--data", "calib", "--method", "rtn", "--teacher", "m", "--as", "q"));
        Quantization q = Session.get("q", Quantization.class);
        Model reloaded = load("m");
        assertTrue(teacher.manager().isOpen(), "the quantization's teacher was closed under it");
        GenieMagics.quantize(List.of("--data", "calib", "--method", "rtn", "--teacher", "m", "--as", "q"));
        assertFalse(q.student().manager().isOpen(), "the replaced quantization still holds native memory");
        assertFalse(teacher.manager().isOpen(), "the old teacher outlived the last quantization that used it");
        assertTrue(reloaded.manager().isOpen());
        Session.get("q", Quantization.class).close();
        reloaded.close();
    }

    @Test
    void rebindingToTheSameValueOrANonCloseableClosesNothing() {
        AtomicInteger closed = new AtomicInteger();
        AutoCloseable value = closed::incrementAndGet;
        Session.put("v", value);
        Session.put("v", value);
        assertEquals(0, closed.get());
        Session.put("v", 42);
        Session.put("v", 43);
        assertEquals(1, closed.get(), "the closeable is closed once, when replaced");
    }
}
