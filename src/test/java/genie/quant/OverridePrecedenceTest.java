package genie.quant;

import genie.nn.Model;
import genie.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact name over pattern over preset; among patterns the later wins; the user's order is what counts. */
class OverridePrecedenceTest {
    private static QuantConfig with(String... keyValues) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            o.put(keyValues[i], keyValues[i + 1]);
        }
        return QuantConfig.builder().wbits(3).abits(4).iterations(0).overrides(o).build();
    }

    private static int wbits(Model t, QuantConfig cfg, String layer) {
        try (QuantizedModel q = QuantizedModel.prepare(t, cfg)) {
            return q.layer(layer).weightQuantizer().bits();
        }
    }

    @Test
    void exactNameBeatsAPatternWrittenAfterIt() {
        try (Model t = TinyModels.resnet(0)) {
            for (QuantConfig cfg : List.of(with("layer2.0.conv2", "w8", "layer2.*", "w2a4"),
                    with("layer2.*", "w2a4", "layer2.0.conv2", "w8"))) {
                assertEquals(8, wbits(t, cfg, "layer2.0.conv2"), cfg.overrides().toString());
                assertEquals(2, wbits(t, cfg, "layer2.0.conv1"), cfg.overrides().toString());
                assertEquals(3, wbits(t, cfg, "layer1.0.conv2"), "untouched layers keep the default");
            }
        }
    }

    @Test
    void amongPatternsTheLaterWins() {
        try (Model t = TinyModels.resnet(0)) {
            QuantConfig narrowLast = with("layer2.*", "w2", "layer2.0.conv?", "w5");
            assertEquals(5, wbits(t, narrowLast, "layer2.0.conv1"));
            assertEquals(2, wbits(t, narrowLast, "layer2.0.downsample.0"));
            QuantConfig wideLast = with("layer2.0.conv?", "w5", "layer2.*", "w2");
            assertEquals(2, wbits(t, wideLast, "layer2.0.conv1"));
        }
    }

    @Test
    void overridesBeatThePaperPreset() {
        try (Model t = TinyModels.resnet(0)) {
            assertEquals(8, wbits(t, with(), "fc"), "preset: classifier W8");
            assertEquals(4, wbits(t, with("f?", "w4"), "fc"));
        }
    }

    @Test
    void overridesKeepTheUsersOrderWhateverTheirHashes() {
        // Map.copyOf iterates in a per-JVM random order; a stored order equal to the insertion order for many keys
        // shows the placement cannot depend on hashing.
        List<String> keys = new ArrayList<>();
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 40; i > 0; i--) {
            keys.add("layer" + i + ".*");
            o.put("layer" + i + ".*", "w" + (2 + i % 7));
        }
        assertEquals(keys, List.copyOf(QuantConfig.builder().overrides(o).build().overrides().keySet()));
        assertEquals(keys, List.copyOf(QuantConfig.builder().overrides(o).build().withSeed(3).overrides().keySet()),
                "copies keep the order");
    }

    @Test
    void conflictingInputBitsOnASharedQuantizerNameBothLayers() {
        try (Model t = TinyModels.resnet(0)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> QuantizedModel.prepare(t, with("layer2.0.downsample.0", "a8")));
            assertTrue(e.getMessage().contains("layer2.0.downsample.0") && e.getMessage().contains("layer2.0.conv1"),
                    e.getMessage());
            // Both consumers of the block input at the same bits are fine, and the quantizer takes them.
            try (QuantizedModel q = QuantizedModel.prepare(t, with("layer2.0.*", "a8"))) {
                assertEquals(8, q.layer("layer2.0.downsample.0").inputQuantizer().bits());
                assertEquals(8, q.layer("layer2.0.conv1").inputQuantizer().bits());
            }
            // Weight bits alone never conflict.
            assertEquals(6, wbits(t, with("layer2.0.downsample.0", "w6"), "layer2.0.downsample.0"));
        }
    }
}
