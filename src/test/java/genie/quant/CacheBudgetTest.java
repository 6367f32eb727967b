package genie.quant;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --cache-memory: sizes in binary units, the default share of physical memory, refusals that say what to write. */
class CacheBudgetTest {
    @Test
    void sizesAreBinaryUnits() {
        assertEquals(512L << 20, CacheBudget.parseBytes("512m"));
        assertEquals(4L << 30, CacheBudget.parseBytes("4g"));
        assertEquals(4L << 30, CacheBudget.parseBytes("4GiB"));
        assertEquals(3L << 29, CacheBudget.parseBytes("1.5g"));
        assertEquals(800L << 10, CacheBudget.parseBytes("800K"));
        assertEquals(1L << 40, CacheBudget.parseBytes("1t"));
        assertEquals(12345, CacheBudget.parseBytes("12345"));
        assertEquals(0, CacheBudget.parseBytes("0"));
    }

    @Test
    void autoIsAQuarterOfPhysicalMemoryAndUnlimitedHasNoLimit() {
        CacheBudget auto = CacheBudget.parse("auto", Path.of("/spill"));
        long ram = CacheBudget.physicalMemory();
        assertTrue(ram > 0);
        assertEquals((long) (ram * CacheBudget.AUTO_FRACTION), auto.bytes());
        assertEquals(Path.of("/spill"), auto.spillDir());
        assertTrue(auto.toString().contains("auto: 1/4 of"), auto.toString());
        assertEquals(auto.bytes(), CacheBudget.auto().bytes());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), CacheBudget.auto().spillDir());
        assertTrue(CacheBudget.parse("unlimited", null).isUnlimited());
        assertEquals("2.00 GiB", CacheBudget.parse("2g", null).toString());
    }

    @Test
    void aBadSizeIsRefusedWithTheFormsThatWork() {
        for (String bad : new String[] {"4x", "", "-1g", "g", "lots"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CacheBudget.parse(bad, null), bad);
            assertTrue(e.getMessage().startsWith("--cache-memory '" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("512m") && e.getMessage().contains("unlimited"), e.getMessage());
        }
    }

    @Test
    void bytesReadForPeople() {
        assertEquals("512 B", CacheBudget.format(512));
        assertEquals("1.50 KiB", CacheBudget.format(1536));
        assertEquals("9.19 GiB", CacheBudget.format(9868148736L));
        assertEquals("147 KiB", CacheBudget.format(150528));
    }
}
