package genie.synth;

import genie.nn.Model;
import genie.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthCacheTest {
    static final SynthConfig CFG = SynthConfig.builder().samples(3).batch(2).iterations(3).latent(8).seed(5)
            .build();

    @Test
    void secondRunIsReadBackWithItsReportAndKeyIgnoresOnlyLogging(@TempDir Path dir) {
        try (Model teacher = TinyModels.resnet(1)) {
            SynthCache cache = new SynthCache(dir);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8);
            SynthResult first = SynthCache.run(cache, teacher, new Synthesizer(CFG), ps);
            assertTrue(Files.isRegularFile(cache.file(teacher, CFG)), "stored");
            assertEquals("", log.toString(StandardCharsets.UTF_8), "a miss says nothing");

            SynthResult again = SynthCache.run(cache, teacher, new Synthesizer(CFG.toBuilder().logEvery(1).build()), ps);
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("reused"), log.toString(StandardCharsets.UTF_8));
            assertArrayEquals(first.images().pixels(), again.images().pixels(), 0f);
            assertArrayEquals(first.report().finalLosses(), again.report().finalLosses(), 0.0);
            assertArrayEquals(first.report().curves().get(1), again.report().curves().get(1), 0f);
            assertEquals(first.report().config(), again.report().config());
            assertEquals(first.report().seconds(), again.report().seconds(), 0.0);

            // Any setting that changes the images, or other teacher weights, is another entry.
            assertNotEquals(cache.file(teacher, CFG), cache.file(teacher, CFG.withSeed(6)));
            assertNotEquals(cache.file(teacher, CFG), cache.file(teacher, CFG.toBuilder().swing(false).build()));
            try (Model other = TinyModels.resnet(2)) {
                assertNotEquals(cache.file(teacher, CFG), cache.file(other, CFG));
                assertTrue(cache.load(other, CFG).isEmpty());
            }
            assertEquals(cache.file(teacher, CFG), cache.file(teacher, CFG), "stable key");
        }
    }

    @Test
    void aForeignFileUnderAnEntryNameIsAClearError(@TempDir Path dir) {
        try (Model teacher = TinyModels.resnet(1)) {
            SynthCache cache = new SynthCache(dir);
            genie.data.ImageSetFile.save(cache.file(teacher, CFG), TinyModels.images(3, 1, 8, 8, 3, 0), null);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> cache.load(teacher, CFG));
            assertTrue(e.getMessage().contains("delete it"), e.getMessage());
        }
    }
}
