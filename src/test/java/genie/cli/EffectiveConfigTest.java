package genie.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.quant.QuantConfig;
import genie.report.Record;
import genie.synth.SynthConfig;
import genie.testing.Teacher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * synth, quantize and run print, --json and --record every setting they ran with, defaults included, and their
 * records keep the loss curves of the stages that ran.
 */
class EffectiveConfigTest {
    static final SynthConfig SYNTH = SynthConfig.builder().samples(2).batch(2).iterations(1).seed(3).logEvery(0)
            .build();
    static final QuantConfig QUANT = QuantConfig.builder().iterations(1).batch(2).seed(3).build();

    record Output(String stdout, JsonObject json) {
    }

    static Output genie(Path record, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--model", Teacher.spec().toString(), "--weights", Teacher.weights().toString(), "--seed",
                "3", "--quiet", "--json", "--record", record.toString()));
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.commandLine().execute(all.toArray(new String[0])));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        String[] lines = out.trim().split("\n");
        return new Output(out, JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject());
    }

    static JsonElement json(Map<String, ?> m) {
        return JsonParser.parseString(JsonOut.toJson(m));
    }

    /** The --json line's config, also in the run record, and each stage's line on stdout. */
    static JsonObject config(Output o, Path record) throws Exception {
        JsonObject c = o.json().getAsJsonObject("config");
        assertEquals(c, Record.read(record).getAsJsonObject("config").get("config"), "the record keeps the same");
        if (c.has("synth")) {
            assertTrue(o.stdout().contains("synth config: " + JsonOut.toJson(SYNTH.toMap())), o.stdout());
        }
        if (c.has("quant")) {
            assertTrue(o.stdout().contains("quant config: " + JsonOut.toJson(QUANT.toMap())), o.stdout());
        }
        return c;
    }

    @Test
    void synthQuantizeAndRunCarryTheirWholeConfiguration(@TempDir Path tmp) throws Exception {
        Path rec = tmp.resolve("synth");
        JsonObject synth = config(genie(rec, "synth", "--samples", "2", "--batch", "2", "--iters", "1"), rec);
        assertEquals(Set.of("synth"), synth.keySet());
        assertEquals(json(SYNTH.toMap()), synth.get("synth"));

        rec = tmp.resolve("quantize");
        JsonObject quantize = config(genie(rec, "quantize", "--data", "noise:4", "--iters", "1", "--recon-batch", "2",
                "--eval-data", "none"), rec);
        assertEquals(Set.of("quant"), quantize.keySet());
        assertEquals(json(QUANT.toMap()), quantize.get("quant"));

        rec = tmp.resolve("run");
        JsonObject run = config(genie(rec, "run", "--samples", "2", "--batch", "2", "--synth-iters", "1", "--iters",
                "1", "--recon-batch", "2", "--eval-data", "none"), rec);
        assertEquals(json(Map.of("synth", SYNTH.toMap(), "quant", QUANT.toMap())), run);
        // The stages hand their loss curves to the command's record: synthesis batches and every unit.
        Set<String> curves = new java.util.HashSet<>();
        Files.readAllLines(rec.resolve("losses.csv")).stream().skip(1).forEach(l -> curves.add(l.split(",")[0]));
        assertTrue(curves.containsAll(Set.of("synth:b0", "rec:conv1", "round:conv1", "rec:fc")), curves.toString());
    }
}
