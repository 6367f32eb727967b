package genie.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetTest {
    @Test
    void levelsParseAndFullIsTheReferenceBudget() {
        assertEquals(Budget.FULL, Budget.of(" Full "));
        assertEquals(512, Budget.FULL.samples());
        assertEquals(500, Budget.FULL.synthIters());
        assertEquals(2000, Budget.FULL.reconIters());
        assertTrue(Budget.PAPER.atLeastFull() && Budget.FULL.atLeastFull());
        assertFalse(Budget.SMOKE.atLeastFull());
        for (Budget b : Budget.LEVELS) {
            assertTrue(b.synthBatch() <= b.samples() && b.ablationReconIters() <= b.reconIters(), b.toString());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Budget.of("huge"));
        assertTrue(e.getMessage().contains("GENIE_BUDGET") && e.getMessage().contains("smoke"), e.getMessage());
    }
}
