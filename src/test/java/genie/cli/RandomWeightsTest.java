package genie.cli;

import genie.nn.Model;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code --weights random}: an architecture's own initialisation, drawn with --seed (shape runs need no file). */
class RandomWeightsTest {
    static float[] firstConv(String... args) throws Exception {
        ModelOptions o = new ModelOptions();
        new CommandLine(o).parseArgs(args);
        try (Model m = o.load()) {
            return m.net().stateDict().get("conv1.weight").toFloatArray();
        }
    }

    @Test
    void theSeedDecidesTheWeights() throws Exception {
        float[] a = firstConv("--model", "default", "--weights", "random", "--seed", "3");
        assertArrayEquals(a, firstConv("--model", "default", "--weights", "random", "--seed", "3"));
        float[] b = firstConv("--model", "default", "--weights", "random", "--seed", "4");
        assertFalse(java.util.Arrays.equals(a, b), "another seed, the same weights");
        assertFalse(java.util.Arrays.equals(a, firstConv("--model", "default")), "random equals the bundled weights");
    }
}
