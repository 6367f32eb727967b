package genie.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import genie.util.Engines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Built architectures must have torchvision's exact state_dict keys and shapes (fixture from python3-torchvision). */
class ArchitectureTest {
    private static Map<String, String> fixture(String name) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ArchitectureTest.class.getResourceAsStream("/torchvision/" + name + ".txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] kv = line.split("\t", -1);
                out.put(kv[0], kv[1]);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50", "mobilenet_v2", "regnet_x_400mf", "regnetx_600mf", "regnet_x_3_2gf",
        "mnasnet1_0", "mnasnet2_0"})
    void stateDictMatchesTorchvision(String name) throws Exception {
        Map<String, String> expected = fixture(name);
        try (Model m = Model.create(genie.testing.FormulaWeights.spec(name), Device.cpu())) {
            Map<String, String> got = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : m.net().stateDict().entrySet()) {
                List<String> dims = new ArrayList<>();
                for (long d : e.getValue().getShape().getShape()) {
                    dims.add(Long.toString(d));
                }
                got.put(e.getKey(), String.join(",", dims));
            }
            assertEquals(expected.keySet(), got.keySet(), "key set of " + name);
            assertEquals(expected, got, "shapes of " + name);
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(got.keySet()), "state_dict order of " + name);
        }
    }

    @Test
    void familyNamesAreMatchedLooselyAndUnusedKeysAreReported(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path spec = dir.resolve("mnv2.json");
        java.nio.file.Files.writeString(spec, "{\"name\": \"mnv2\", \"arch\": {\"family\": \"MobileNetV2\","
                + " \"in_channels\": 1, \"num_classes\": 10, \"stem_stride\": 1, \"widht_mult\": 0.5},"
                + " \"input\": {\"shape\": [1, 28, 28], \"mean\": [0.286], \"std\": [0.353]}}");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try (Model m = Model.create(ModelSpec.read(spec), Device.cpu())) {
            assertTrue(m.net().stateDict().containsKey("features.1.conv.0.0.weight"), "built as torchvision's MobileNetV2");
        } finally {
            System.setErr(old);
        }
        String msg = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(msg.contains("'widht_mult' is not used"), msg);
    }

    @Test
    void resnet18RunsOnImagenetShapes() throws Exception {
        Engines.seed(0);
        try (Model m = Model.create(ModelSpec.resolve("resnet18"), Device.cpu());
                NDManager sub = m.manager().newSubManager()) {
            NDArray out = m.forward(sub.randomNormal(new Shape(1, 3, 224, 224)));
            assertEquals(new Shape(1, 1000), out.getShape());
        }
    }

    @Test
    void modulesAreNamedLookedUpReplacedAndHooked() throws Exception {
        try (Model m = Model.create(ModelSpec.resolve("resnet18"), Device.cpu());
                NDManager sub = m.manager().newSubManager()) {
            Module conv = m.get("layer2.0.conv1");
            assertTrue(conv instanceof Conv2d c && c.stride == 2);
            assertTrue(m.net().namedModules().containsKey("layer4.1.bn2"));
            int[] calls = {0};
            Shape[] seen = new Shape[2];
            try (HookHandle h = m.get("layer3.0.bn1").addForwardHook((mod, in, out) -> {
                calls[0]++;
                seen[0] = in.getShape();
                seen[1] = out.getShape();
            })) {
                m.forward(sub.zeros(new Shape(2, 3, 64, 64)));
            }
            assertEquals(1, calls[0]);
            assertEquals(new Shape(2, 256, 4, 4), seen[0]);
            m.forward(sub.zeros(new Shape(1, 3, 64, 64)));
            assertEquals(1, calls[0], "a closed hook no longer fires");
            Module id = new Pooling.Identity();
            m.net().replace("layer1.0.relu", id);
            assertSame(id, m.get("layer1.0.relu"));
            UnknownModuleException e = assertThrows(UnknownModuleException.class, () -> m.get("layer2.0.conv9"));
            assertTrue(e.getMessage().contains("layer2.0.conv1"), e.getMessage());
        }
    }

    @Test
    void unknownModelNameIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.resolve("resnet7"));
        assertTrue(e.getMessage().contains("unknown model 'resnet7'") && e.getMessage().contains("resnet18"),
                e.getMessage());
    }
}
