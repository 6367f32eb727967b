package genie.io;

import ai.djl.Device;
import genie.data.ImageSetFile;
import genie.nn.Model;
import genie.nn.ModelSpec;
import genie.quant.IntegerExport;
import genie.quant.QuantizedModel;
import genie.testing.Teacher;
import genie.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files written before the three safetensors implementations became one (src/test/resources/genie/io, made by
 * the old ImageSetFile writer, StateDict.save and IntegerExport.write) still read, and writing their content
 * again gives the same bytes: caches and exports on users' disks stay valid.
 */
class FormatCompatibilityTest {

    private static Path fixture(String name) throws Exception {
        return Path.of(FormatCompatibilityTest.class.getResource("/genie/io/" + name).toURI());
    }

    @Test
    void imageSetsReadAndRewriteIdentically(@TempDir Path dir) throws Exception {
        for (String name : List.of("imageset-v1.safetensors", "imageset-v1-unlabeled.safetensors")) {
            ImageSetFile.Loaded l = ImageSetFile.load(fixture(name));
            assertEquals("fixture set", l.images().description());
            assertEquals(2, l.images().size());
            assertEquals(-1f + 0.25f * 11, l.images().pixels()[11]);
            Path again = dir.resolve(name);
            ImageSetFile.save(again, l.images(), l.metadata());
            assertArrayEquals(Files.readAllBytes(fixture(name)), Files.readAllBytes(again), name);
        }
        ImageSetFile.Loaded labelled = ImageSetFile.load(fixture("imageset-v1.safetensors"));
        assertArrayEquals(new int[] {2, 0}, labelled.images().labels());
        assertEquals(7, labelled.metadata().get("seed").getAsInt());
        assertFalse(ImageSetFile.load(fixture("imageset-v1-unlabeled.safetensors")).images().hasLabels());
    }

    @Test
    void weightsReadAndRewriteIdentically(@TempDir Path dir) throws Exception {
        Path again = dir.resolve("w.safetensors");
        try (Model m = TinyModels.resnet(99)) {
            genie.nn.StateDict.load(m.net(), fixture("weights-v1.safetensors"), List.of(), true);
            m.saveWeights(again);
        }
        assertArrayEquals(Files.readAllBytes(fixture("weights-v1.safetensors")), Files.readAllBytes(again));
    }

    @Test
    void integerExportReloadsAndRewritesIdentically(@TempDir Path dir) throws Exception {
        Path again = dir.resolve("q.safetensors");
        ModelSpec spec;
        try (Model t = TinyModels.resnet(0)) {
            spec = t.spec();
        }
        try (QuantizedModel q = IntegerExport.load(fixture("int-export-v1.safetensors"), spec, Device.cpu())) {
            IntegerExport.write(q, again);
        }
        assertArrayEquals(Files.readAllBytes(fixture("int-export-v1.safetensors")), Files.readAllBytes(again));
        Safetensors.Header h = Safetensors.readHeader(again);
        assertEquals("U8", h.tensors().get("layer2.0.conv2.weight_int").dtype());
        assertEquals("I32", h.tensors().get("layer2.0.conv2.weight_zero_point").dtype());
        assertEquals(Map.of("format", IntegerExport.FORMAT), h.metadata());
    }

    @Test
    void bundledModelsPassTheStrictChecks() throws Exception {
        for (Path f : List.of(Teacher.weights(), Teacher.weights().resolveSibling("default.safetensors"))) {
            Map<String, TensorData> all = Safetensors.readAll(f, "fix");
            assertTrue(all.size() > 10, f + " has " + all.size() + " tensors");
            assertEquals("pt", Safetensors.readHeader(f).metadata().get("format"));
        }
        try (Model m = Model.load(ModelSpec.read(Teacher.spec()), Teacher.weights(), Device.cpu(), List.of(), true)) {
            assertEquals(Teacher.NAME, m.spec().name());
        }
    }
}
