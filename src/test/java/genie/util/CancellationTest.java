package genie.util;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CancellationTest {

    @Test
    void tokensAreIndependent() {
        Cancellation a = new Cancellation();
        Cancellation b = new Cancellation();
        a.request();
        assertTrue(a.requested());
        assertThrows(Cancellation.CancelledException.class, a::check);
        assertFalse(b.requested());
        assertDoesNotThrow(b::check);
        assertDoesNotThrow(Cancellation.none()::check);
    }

    @Test
    void clearEndsTheRequest() {
        Cancellation a = new Cancellation();
        a.request();
        a.clear();
        assertFalse(a.requested());
        assertDoesNotThrow(a::check);
    }

    @Test
    void theDefaultTokenCannotBeCancelled() {
        assertThrows(UnsupportedOperationException.class, Cancellation.none()::request);
        assertFalse(Cancellation.none().requested());
    }
}
