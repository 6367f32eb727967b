package genie.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.util.Engines;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PyTorch half of a side-by-side benchmark: runs {@code tools/<script>} with Debian's {@code /usr/bin/python3}
 * on the same spec and thread count, in this process's turn, and returns the JSON object of its last stdout line.
 */
final class TorchSide {
    private TorchSide() {
    }

    static JsonObject run(String script, String specSource, String... args) throws Exception {
        return run(List.of(script), specSource, args);
    }

    /** {@code scriptAndMode}: the script's file name, then any arguments that go before the spec. */
    static JsonObject run(List<String> scriptAndMode, String specSource, String... args) throws Exception {
        String script = scriptAndMode.get(0);
        if (specSource.startsWith("builtin:")) {
            throw new IllegalArgumentException("the PyTorch and official sides need a spec JSON file (--model SPEC.json)");
        }
        Path path = Path.of("tools", script);
        if (!Files.exists(path)) {
            throw new IllegalStateException("run from the repository root (tools/" + script + " not found)");
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", path.toString()));
        cmd.addAll(scriptAndMode.subList(1, scriptAndMode.size()));
        cmd.addAll(List.of(specSource, "--threads", Integer.toString(Engines.threads())));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                last = line;
            }
        }
        if (p.waitFor() != 0 || last == null) {
            throw new IllegalStateException("PyTorch side failed (needs Debian python3-torch and python3-torchvision)");
        }
        return JsonParser.parseString(last).getAsJsonObject();
    }
}
