package genie.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in ImageNet architectures at 3x224x224 through {@code genie run} end to end, with random weights and a
 * budget of seconds: two images, one iteration per unit. What ImageNet shapes bring that the Fashion-MNIST teachers do
 * not: Genie-D's generator at 224, ResNet-50's strided 1x1 downsamples in backward (a oneDNN division by zero without
 * {@code genie.nn.Conv2d}'s workaround), caches of megabytes per image, and their spill files.
 */
class ImageNetShapesIT {
    static final Duration RUN = Duration.ofMinutes(5);
    static final long FLOAT = Float.BYTES;

    /** Runs {@code genie run} with random weights and returns its --json line, after checking every unit ran. */
    private static JsonObject run(Path dir, String model, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--model", model, "--weights", "random", "--recon-iters",
                "1", "--recon-batch", "2", "--eval-data", "none", "--quiet", "--json"));
        args.addAll(List.of(more));
        try (GenieProcess g = GenieProcess.start(dir, args.toArray(new String[0]))) {
            assertEquals(0, g.awaitExit(RUN), g.output());
            String[] lines = g.stdout().trim().split("\n");
            JsonObject json = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
            JsonArray units = json.getAsJsonArray("units");
            assertTrue(units.size() > 0, g.output());
            for (JsonElement u : units) {
                double loss = u.getAsJsonObject().get("rec_loss").getAsDouble();
                assertTrue(Double.isFinite(loss), model + " " + u);
            }
            assertEquals(2, json.get("samples").getAsInt());
            assertTrue(g.stdout().contains("reconstruction cache (estimate), largest unit "), g.output());
            return json;
        }
    }

    private static void assertLargestCache(JsonObject json, String unit, long bytesPerImage, String model) {
        JsonObject cache = json.getAsJsonObject("cache");
        assertEquals(unit, cache.get("largest_unit").getAsString(), model + " " + cache);
        assertEquals(2 * bytesPerImage, cache.get("largest_bytes").getAsLong(), model + " " + cache);
    }

    @Test
    void resnet18WithATinyGenieDSynthesis(@TempDir Path dir) throws Exception {
        JsonObject json = run(dir, "resnet18", "--samples", "2", "--batch", "2", "--synth-iters", "1");
        assertEquals(10, json.getAsJsonArray("units").size(), "conv1, 8 basic blocks, fc");
        assertTrue(json.get("data").getAsString().startsWith("genie-d"), json.toString());
        // conv1 reads the 3x224x224 image (x and x_q) and writes 64x112x112.
        assertLargestCache(json, "conv1", (2 * 3 * 224 * 224 + 64 * 112 * 112) * FLOAT, "resnet18");
    }

    @Test
    void resnet50OnNoiseWithEveryCacheSpilled(@TempDir Path dir) throws Exception {
        JsonObject json = run(dir, "resnet50", "--data", "noise:2", "--cache-memory", "0", "--spill-dir",
                dir.resolve("spill").toString());
        assertEquals(18, json.getAsJsonArray("units").size(), "conv1, 16 bottlenecks, fc");
        // layer1.1 reads and writes 256x56x56: x, x_q and y at 9.19 MiB an image; a budget of 0 spills them all.
        assertLargestCache(json, "layer1.1", 3L * 256 * 56 * 56 * FLOAT, "resnet50");
        assertEquals(0, json.getAsJsonObject("cache").get("largest_memory_bytes").getAsLong());
        assertEquals(18, json.getAsJsonObject("cache").getAsJsonArray("units_spilling").size());
    }

    @Test
    void mobilenetV2OnNoise(@TempDir Path dir) throws Exception {
        JsonObject json = run(dir, "mobilenet_v2", "--data", "noise:2");
        assertEquals(20, json.getAsJsonArray("units").size(), "the stem, 17 inverted residuals, the 1x1 head, the classifier");
        // features.1 (the first inverted residual, expansion 1) reads 32x112x112 and writes 16x112x112.
        assertLargestCache(json, "features.1", (2 * 32 * 112 * 112 + 16 * 112 * 112) * FLOAT, "mobilenet_v2");
    }
}
