package genie.cli;

import genie.testing.Teacher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench recon|synth --official DIR}: what the reference cannot run is refused before any work, by name. */
class BenchOfficialOptionsTest {
    private static String bench(String... args) {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        all.addAll(List.of("--model", Teacher.spec().toString(), "--weights", Teacher.weights().toString()));
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute(all.toArray(new String[0])), err.toString());
        return err.toString();
    }

    @Test
    void aFolderWithoutTheOfficialCodeIsNamed(@TempDir Path dir) {
        String recon = bench("recon", "--official", dir.toString(), "--iters", "1");
        assertTrue(recon.contains("no reconstruct.py") && recon.contains("SamsungLabs/Genie"), recon);
        String synth = bench("synth", "--official", dir.toString(), "--iters", "1");
        assertTrue(synth.contains("has no distill.py"), synth);
    }

    @Test
    void settingsTheReferenceLacksAreRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("reconstruct.py"), "");
        Files.writeString(dir.resolve("distill.py"), "");
        String count = bench("recon", "--official", dir.toString(), "--data", "noise:40", "--iters", "1");
        assertTrue(count.contains("divisible by 32") && count.contains("40 samples"), count);
        String method = bench("recon", "--official", dir.toString(), "--method", "brecq", "--iters", "1");
        assertTrue(method.contains("Genie-M with the paper's placement"), method);
        String swing = bench("synth", "--official", dir.toString(), "--no-swing", "--iters", "1");
        assertTrue(swing.contains("drop --source and --no-swing"), swing);
    }
}
