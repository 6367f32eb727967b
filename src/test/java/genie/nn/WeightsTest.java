package genie.nn;

import ai.djl.Device;
import genie.io.Safetensors;
import genie.io.TensorData;
import genie.testing.Teacher;
import genie.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightsTest {
    @Test
    void saveAndLoadRoundTripsExactly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.safetensors");
        try (Model a = TinyModels.resnet(1); Model b = TinyModels.resnet(2)) {
            a.saveWeights(f);
            var header = Safetensors.readHeader(f);
            assertTrue(header.tensors().containsKey("layer2.0.downsample.1.num_batches_tracked"));
            StateDict.load(b.net(), f, List.of(), true);
            for (var e : a.net().stateDict().entrySet()) {
                if (e.getValue().getDataType().isFloating()) {
                    assertArrayEquals(e.getValue().toFloatArray(), b.net().stateDict().get(e.getKey()).toFloatArray(),
                            e.getKey());
                }
            }
        }
    }

    @Test
    void truncatedFileIsAClearError(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(Teacher.weights());
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        ModelSpec spec = ModelSpec.read(Teacher.spec());
        Exception e = assertThrows(Safetensors.CorruptFileException.class,
                () -> Model.load(spec, cut, Device.cpu(), List.of(), true));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void corruptHeaderIsAClearError(@TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(Teacher.weights());
        for (int i = 10; i < 60; i++) {
            all[i] = (byte) '#';
        }
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, all);
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        ModelSpec spec = ModelSpec.read(Teacher.spec());
        Exception e = assertThrows(Safetensors.CorruptFileException.class,
                () -> Model.load(spec, bad, Device.cpu(), List.of(), true));
        assertTrue(e.getMessage().contains("not a valid safetensors file"), e.getMessage());
        assertThrows(Safetensors.CorruptFileException.class, () -> Model.load(spec, tiny, Device.cpu(), List.of(), true));
        assertThrows(NoSuchFileException.class,
                () -> Model.load(spec, dir.resolve("missing.safetensors"), Device.cpu(), List.of(), true));
    }

    @Test
    void wrongArchitectureListsEveryProblemAtOnce() throws Exception {
        ModelSpec r18 = ModelSpec.resolve("resnet18");
        WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                () -> Model.load(r18, Teacher.weights(), Device.cpu(), List.of(), true));
        String m = e.getMessage();
        assertTrue(m.contains("missing keys") && m.contains("layer4.0.conv1.weight"), m);
        assertTrue(m.contains("shape mismatches") && m.contains("conv1.weight: checkpoint (16, 1, 3, 3)"), m);
    }

    @Test
    void renameRulesMapOtherLayouts(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.safetensors");
        try (Model a = TinyModels.resnet(1); Model b = TinyModels.resnet(2)) {
            a.saveWeights(f);
            // Pretend the checkpoint had "model." prefixes: strict loading fails, a rename rule fixes it.
            Path prefixed = dir.resolve("p.safetensors");
            var header = Safetensors.readHeader(f);
            var tensors = new java.util.LinkedHashMap<String, TensorData>();
            for (var e : header.tensors().entrySet()) {
                tensors.put("model." + e.getKey(), new TensorData(e.getValue().dtype(), e.getValue().shape(),
                        Safetensors.readData(f, header, e.getKey())));
            }
            Safetensors.write(prefixed, tensors, null);
            assertThrows(WeightsMismatchException.class, () -> StateDict.load(b.net(), prefixed, List.of(), true));
            StateDict.load(b.net(), prefixed, List.of(StateDict.Rename.parse("^model\\.=")), true);
            assertArrayEquals(a.get("fc").parameter("weight").toFloatArray(), b.get("fc").parameter("weight").toFloatArray());
        }
    }
}
