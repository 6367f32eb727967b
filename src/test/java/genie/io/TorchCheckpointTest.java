package genie.io;

import com.google.gson.JsonObject;
import genie.testing.PthFixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** torch.save archives written by Debian's PyTorch ({@code tools/make_pth_fixtures.py}) read back value for value. */
class TorchCheckpointTest {
    private static Path fixture(String name) {
        return PthFixtures.file(name);
    }

    @Test
    void plainAndWrappedStateDictsReadExactly() throws Exception {
        JsonObject exp = PthFixtures.expected();
        for (String f : List.of("tiny_resnet.pth", "tiny_resnet_wrapped.pt", "tiny_resnet_model.tar")) {
            Map<String, TensorData> sd = TorchCheckpoint.read(fixture(f));
            assertEquals(exp.getAsJsonObject("shapes").keySet(), sd.keySet(), f);
            check(exp.getAsJsonObject("f32"), exp.getAsJsonObject("shapes"), sd, f);
            assertEquals("F32", sd.get("conv1.weight").dtype());
            assertEquals("I64", sd.get("bn1.num_batches_tracked").dtype());
            assertEquals(11L, sd.get("bn1.num_batches_tracked").longs()[0]);
        }
    }

    @Test
    void halfAndBfloat16TensorsKeepTheirTypeAndValues() throws Exception {
        JsonObject exp = PthFixtures.expected();
        for (String dt : List.of("f16", "bf16")) {
            Map<String, TensorData> sd = TorchCheckpoint.read(fixture("tiny_resnet_" + dt + ".pth"));
            assertEquals(dt.toUpperCase(), sd.get("fc.weight").dtype());
            check(exp.getAsJsonObject(dt), exp.getAsJsonObject("shapes"), sd, dt);
        }
    }

    private static void check(JsonObject values, JsonObject shapes, Map<String, TensorData> sd, String what) {
        for (String k : values.keySet()) {
            var want = values.getAsJsonArray(k);
            TensorData t = sd.get(k);
            float[] got = t.dtype().equals("I64") ? new float[] {t.longs()[0]} : t.floats();
            assertEquals(want.size(), got.length, what + " " + k);
            for (int i = 0; i < got.length; i++) {
                assertEquals(want.get(i).getAsFloat(), got[i], 0f, what + " " + k + "[" + i + "]");
            }
            long[] shape = shapes.getAsJsonArray(k).asList().stream().mapToLong(e -> e.getAsLong()).toArray();
            assertArrayEquals(shape, sd.get(k).shape(), what + " " + k);
        }
    }

    @Test
    void wholeModelsTorchScriptAndLegacyFilesAreRefusedWithTheWayOut() {
        IOException whole = assertThrows(IOException.class, () -> TorchCheckpoint.read(fixture("whole_model.pth")));
        assertTrue(whole.getMessage().contains("torch.nn.modules.container.Sequential")
                && whole.getMessage().contains("torch.save(model.state_dict()"), whole.getMessage());
        IOException script = assertThrows(IOException.class, () -> TorchCheckpoint.read(fixture("torchscript.pt")));
        assertTrue(script.getMessage().contains("TorchScript") && script.getMessage().contains("torch.jit.load(path)"
                + ".state_dict()"), script.getMessage());
        IOException legacy = assertThrows(IOException.class, () -> TorchCheckpoint.read(fixture("legacy.pth")));
        assertTrue(legacy.getMessage().contains("legacy"), legacy.getMessage());
    }

    @Test
    void aTruncatedArchiveIsOneSentence(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] all = Files.readAllBytes(fixture("tiny_resnet.pth"));
        Path cut = dir.resolve("cut.pth");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(cut));
        assertTrue(e.getMessage().contains("cut.pth"), e.getMessage());
    }
}
