package genie.quant;

import ai.djl.Device;
import genie.nn.MnasBlock;
import genie.nn.Model;
import genie.nn.Module;
import genie.nn.RegNetXBlock;
import genie.testing.FormulaWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Genie-M's units follow each family's blocks with no family named in the quantization code: every RegNet X block
 * and MNASNet inverted residual is one unit, and the layers outside blocks (stem, head) are units of their own.
 */
class FamilyUnitsTest {
    @ParameterizedTest
    @ValueSource(strings = {"regnet_x_400mf", "mnasnet1_0"})
    void everyBlockIsOneUnit(String name) throws Exception {
        try (Model t = Model.create(FormulaWeights.spec(name), Device.cpu());
                QuantizedModel q = QuantizedModel.prepare(t, QuantConfig.defaults().withBits(4, 4))) {
            List<String> blocks = t.net().namedModules().entrySet().stream()
                    .filter(e -> e.getValue() instanceof RegNetXBlock || e.getValue() instanceof MnasBlock)
                    .map(java.util.Map.Entry::getKey).toList();
            List<String> units = q.units().stream().map(Unit::name).toList();
            assertTrue(units.containsAll(blocks), name + ": blocks missing from " + units);
            for (Unit u : q.units()) {
                Module m = t.net().get(u.name());
                boolean block = blocks.contains(u.name());
                assertTrue(block || u.layers().size() == 1, u.name() + " is neither a block nor a single layer");
                if (block) {
                    long convs = m.namedModules().values().stream().filter(x -> x instanceof genie.nn.Conv2d).count();
                    assertEquals(convs, u.weightQuantizers().size(), u.name() + ": every conv of the block in its unit");
                }
            }
            assertEquals(blocks.size() + (name.startsWith("regnet") ? 2 : 5), units.size(), name + " units: " + units);
        }
    }
}
