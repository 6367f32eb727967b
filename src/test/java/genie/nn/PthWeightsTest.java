package genie.nn;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import genie.testing.PthFixtures;
import genie.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --weights FILE.pth}: a torch.save state_dict loads strictly into the model it was saved from. */
class PthWeightsTest {
    @Test
    void torchSaveStateDictLoadsIntoTheTinyResNet() throws Exception {
        JsonObject exp = PthFixtures.expected();
        for (String f : List.of("tiny_resnet.pth", "tiny_resnet_wrapped.pt", "tiny_resnet_bf16.pth")) {
            JsonObject values = exp.getAsJsonObject(f.contains("bf16") ? "bf16" : "f32");
            try (Model m = TinyModels.resnet(0)) {
                StateDict.load(m.net(), PthFixtures.file(f), List.of(), true);
                Map<String, NDArray> sd = m.net().stateDict();
                for (String k : values.keySet()) {
                    float[] got = sd.get(k).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                    assertEquals(values.getAsJsonArray(k).get(got.length - 1).getAsFloat(), got[got.length - 1], 0f,
                            f + " " + k);
                    assertEquals(values.getAsJsonArray(k).get(0).getAsFloat(), got[0], 0f, f + " " + k);
                }
                assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, sd.get("fc.weight").getDataType(),
                        "bfloat16 weights are converted to the model's float32");
            }
        }
    }

    @Test
    void aPickledWholeModelFailsWithTheFixNotAStackTrace() {
        Path whole = PthFixtures.file("whole_model.pth");
        try (Model m = TinyModels.resnet(0)) {
            IOException e = assertThrows(IOException.class, () -> StateDict.load(m.net(), whole, List.of(), true));
            assertTrue(e.getMessage().startsWith(whole + " holds a pickled"), e.getMessage());
        }
    }

    @Test
    void aStateDictOfAnotherModelIsAStrictMismatch() {
        try (Model m = TinyModels.mobilenet(0)) {
            WeightsMismatchException e = assertThrows(WeightsMismatchException.class, () -> StateDict.load(m.net(),
                    PthFixtures.file("tiny_resnet.pth"), List.of(), true));
            assertTrue(e.getMessage().contains("missing keys") && e.getMessage().contains("unexpected keys"),
                    e.getMessage());
        }
    }
}
