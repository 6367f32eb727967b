package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

    @Test
    void trimReachesGlibc() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        Assumptions.assumeTrue(Files.exists(maps) && Files.readString(maps).contains("libc.so.6"), "not glibc");
        assertTrue(NativeMemory.trim(), "malloc_trim was not callable through JNA");
        assertTrue(NativeMemory.trim(), "a second call fails");
    }
}
