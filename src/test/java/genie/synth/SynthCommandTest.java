package genie.synth;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.cli.Main;
import genie.data.ImageSetFile;
import genie.testing.Teacher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code genie synth} on the bundled Fashion-MNIST ResNet-20 teacher, with a tiny budget. */
class SynthCommandTest {
    record Run(int code, String out, String err) {
    }

    static Run synth(String... extra) {
        List<String> args = new ArrayList<>(List.of("synth", "--model", Teacher.spec().toString(), "--weights",
                Teacher.weights().toString(), "--quiet"));
        args.addAll(List.of(extra));
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cl.execute(args.toArray(new String[0]));
        } finally {
            System.setOut(old);
        }
        return new Run(code, buf.toString(StandardCharsets.UTF_8), err.toString());
    }

    @Test
    void writesAReproducibleImageSetWithMetadata(@TempDir Path dir) {
        Path out = dir.resolve("s.safetensors");
        Run r = synth("--samples", "3", "--batch", "2", "--iters", "2", "--seed", "5", "--out", out.toString(),
                "--json");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().trim().split("\n");
        JsonObject json = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        assertEquals(3, json.get("samples").getAsInt());
        assertEquals(2, json.getAsJsonArray("final_losses").size());
        assertTrue(json.has("final_loss") && json.has("seconds") && json.has("ms_per_iter")
                && json.has("class_histogram") && json.has("mean_confidence"));
        ImageSetFile.Loaded loaded = ImageSetFile.load(out);
        assertEquals(3, loaded.images().size());
        assertEquals(28, loaded.images().height());
        JsonObject meta = loaded.metadata();
        assertEquals(5, meta.getAsJsonObject("config").get("seed").getAsLong());
        assertEquals(2, meta.getAsJsonArray("loss_curves").size());
        assertEquals(2, meta.getAsJsonArray("loss_curves").get(0).getAsJsonArray().size());
        assertEquals("genie-d", meta.get("kind").getAsString());
        assertTrue(meta.has("pytorch") && meta.has("djl") && meta.has("class_histogram"));
    }

    @Test
    void divergenceIsAClearErrorAndWritesNothing(@TempDir Path dir) {
        Path out = dir.resolve("nan.safetensors");
        Run r = synth("--samples", "2", "--batch", "2", "--iters", "10", "--source", "pixels", "--lr-z", "1e30",
                "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("synthesis diverged at iteration"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void badCountsAreClearErrors() {
        Run r = synth("--samples", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("samples must be positive"), r.err());
        r = synth("--batch", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("batch must be positive"), r.err());
    }
}
