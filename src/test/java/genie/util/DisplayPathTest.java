package genie.util;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DisplayPathTest {
    @Test
    void insideTheWorkingFolderIsRelativeUnderHomeStartsWithTilde() {
        Path here = Path.of("").toAbsolutePath();
        assertEquals(Path.of("cache", "a.safetensors").toString(), DisplayPath.of(here.resolve("cache/a.safetensors")));
        assertEquals("cache/b", DisplayPath.of(Path.of("cache/b")), "relative paths stay relative");
        Path home = Path.of(System.getProperty("user.home"));
        if (!here.startsWith(home) && !home.toString().equals("/")) {
            assertEquals("~/genie/x", DisplayPath.of(home.resolve("genie/x")));
        }
        assertEquals("/nonexistent-root/x", DisplayPath.of(Path.of("/nonexistent-root/x")), "elsewhere: as given");
    }
}
