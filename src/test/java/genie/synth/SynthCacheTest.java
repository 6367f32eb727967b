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
import java.util.List;

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

    /**
     * The keys of entries stored before the switches beyond Genie existed, as that code computed them (record
     * {@code toString()} and file names of the same teacher and settings): with the switches off they are unchanged.
     */
    @Test
    void withTheSwitchesOffTheKeyIsTheOneStoredEntriesHave() {
        assertEquals("SynthConfig[samples=1024, batch=128, iterations=4000, latent=256, lrZ=0.1, lrG=0.01, gDecay=0.95, "
                + "gDecayEvery=100, plateauPatience=100, minLrZ=1.0E-4, swing=true, seed=0, source=GENIE, logEvery=0]",
                SynthCache.settingsKey(SynthConfig.DEFAULTS.toBuilder().logEvery(0).build()));
        try (Model teacher = TinyModels.resnet(1)) {
            SynthCache cache = new SynthCache(Path.of("cache"));
            assertEquals("genie-n3-it3-s5-63d2f8068b1d40ca.safetensors", cache.file(teacher, CFG).getFileName().toString());
            assertEquals("genie-n1024-it4000-s0-fd3700953685b395.safetensors",
                    cache.file(teacher, SynthConfig.DEFAULTS).getFileName().toString());
            assertEquals("pixels-noswing-n3-it3-s5-4ecebafc7e762fcb.safetensors", cache.file(teacher, CFG.toBuilder()
                    .source(SynthConfig.Source.PIXELS).swing(false).lrZ(0.25).build()).getFileName().toString());

            // Each switch makes other images, so another entry; its name says which switches are on.
            java.util.Set<Path> files = new java.util.HashSet<>();
            files.add(cache.file(teacher, CFG));
            for (SynthConfig c : List.of(CFG.toBuilder().lowpass(0.5).build(), CFG.toBuilder().lowpass(0.25).build(),
                    CFG.toBuilder().augment(true).build(), CFG.toBuilder().bnGlobal(true).build(),
                    CFG.toBuilder().labelCe(0.1).build(), CFG.toBuilder().augment(true).bnGlobal(true).build())) {
                assertTrue(files.add(cache.file(teacher, c)), c.toString());
            }
            assertEquals("genie-n3-it3-s5-lp0.5-aug-bng-ce0.1", cache.file(teacher, CFG.toBuilder().lowpass(0.5)
                    .augment(true).bnGlobal(true).labelCe(0.1).build()).getFileName().toString().replaceAll("-[0-9a-f]{16}\\..*", ""));
        }
    }

    @Test
    void labelsAreStoredWithTheImagesAndAnEntryWithoutTheSwitchesReadsBack(@TempDir Path dir) throws Exception {
        try (Model teacher = TinyModels.resnet(1)) {
            SynthCache cache = new SynthCache(dir);
            SynthConfig ce = CFG.toBuilder().labelCe(0.5).build();
            SynthResult first = SynthCache.run(cache, teacher, new Synthesizer(ce), System.err);
            SynthResult again = cache.load(teacher, ce).orElseThrow();
            assertTrue(first.images().hasLabels() && again.images().hasLabels());
            for (int i = 0; i < 3; i++) {
                assertEquals(first.images().label(i), again.images().label(i));
            }
            assertEquals(ce, again.report().config());

            // A report written before the switches existed has no such keys: it reads back with them off.
            com.google.gson.JsonObject report = com.google.gson.JsonParser.parseString(new com.google.gson.Gson()
                    .toJson(first.report())).getAsJsonObject();
            com.google.gson.JsonObject config = report.getAsJsonObject("config");
            for (String k : List.of("lowpass", "augment", "bnGlobal", "labelCe")) {
                assertTrue(config.remove(k) != null, k);
            }
            SynthReport old = new com.google.gson.Gson().fromJson(report, SynthReport.class);
            assertEquals(CFG, old.config());
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
