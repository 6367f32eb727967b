package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import genie.util.Cancellation;
import org.junit.jupiter.api.Test;

/** An interrupt cancels the token of its own kernel session, for the running cell only. */
class CellInterruptsTest {

    @Test
    void anInterruptCancelsItsSessionsTokenUntilTheNextCell() {
        Cancellation mine = new Cancellation();
        Cancellation other = new Cancellation();
        CellInterrupts interrupts = new CellInterrupts(mine, () -> null, 0);
        interrupts.interrupt();
        assertFalse(mine.requested(), "no cell runs: nothing to interrupt");
        long cell = interrupts.begin();
        interrupts.interrupt();
        assertTrue(mine.requested());
        assertTrue(interrupts.interrupted(cell));
        assertFalse(other.requested());
        interrupts.end();
        long next = interrupts.begin();
        assertFalse(mine.requested(), "cleared for the next cell");
        assertFalse(interrupts.interrupted(next));
    }

    @Test
    void eachKernelHasASessionAndTokenOfItsOwn() {
        GenieKernel a = GenieKernel.create();
        GenieKernel b = GenieKernel.create();
        assertNotSame(a.genieSession(), b.genieSession());
        assertNotSame(a.genieSession().cancellation(), b.genieSession().cancellation());
        a.stopFlushing();
        b.stopFlushing();
    }
}
