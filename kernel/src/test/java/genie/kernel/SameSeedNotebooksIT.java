package genie.kernel;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same experiment three ways with seed 0 at a tiny budget: notebook 01 executed by nbconvert, the same notebook
 * run headless by {@code genie script}, and {@code genie run} with the matching options. Each writes a run record;
 * their FP32 and W4A4 accuracies and the final synthesis loss must be identical.
 */
class SameSeedNotebooksIT {
    @TempDir
    Path tmp;

    static JsonObject metrics(Path record) throws Exception {
        return JsonParser.parseString(Files.readString(record.resolve("record.json"))).getAsJsonObject()
                .getAsJsonObject("metrics");
    }

    @Test
    void notebookScriptAndCliGiveTheSameNumbers() throws Exception {
        Path kernelDir = Path.of(System.getProperty("genie.kernel.dir", ".")).toAbsolutePath();
        Path root = kernelDir.getParent();
        TutorialNotebooksIT.skipOrFail(TutorialNotebooksIT.missing(), "SameSeedNotebooksIT");
        Map<String, String> env = new HashMap<>(TutorialNotebooksIT.installKernel(kernelDir, tmp));
        env.put("GENIE_BUDGET", "tiny");

        env.put("GENIE_RECORDS", tmp.resolve("nb").toString());
        TutorialNotebooksIT.execute(root, "01_quickstart", env, tmp.resolve("out"));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvm = List.of(java, "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-Xss8m");
        env.put("GENIE_RECORDS", tmp.resolve("script").toString());
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        var script = GenieKernelIT.run(concat(jvm, List.of("-cp", kernelDir.resolve("target/classes") + File.pathSeparator
                + kernelDir.resolve("target/lib") + File.separator + "*", "genie.kernel.Cli", "script",
                root.resolve("notebooks/01_quickstart.ipynb").toString())), root.resolve("notebooks"), env, 900);
        System.out.println(script.output());
        assertEquals(0, script.rc(), script.output());

        var cli = GenieKernelIT.run(concat(jvm, List.of("-cp", root.resolve("src/target/classes") + File.pathSeparator
                + root.resolve("src/target/lib") + File.separator + "*", "genie.cli.Main", "run", "--model", "default",
                "--samples", "16", "--batch", "16", "--synth-iters", "10", "--wbits", "4", "--abits", "4",
                "--method", "genie", "--iters", "10", "--recon-batch", "32", "--seed", "0", "--eval-limit", "200",
                "--quiet", "--record", tmp.resolve("cli").toString())), root, env, 900);
        System.out.println(cli.output());
        assertEquals(0, cli.rc(), cli.output());

        JsonObject nb = metrics(tmp.resolve("nb/01_quickstart"));
        JsonObject sc = metrics(tmp.resolve("script/01_quickstart"));
        JsonObject run = metrics(tmp.resolve("cli"));
        System.out.println("notebook " + nb + "\nscript   " + sc + "\nrun      " + run);
        for (String k : List.of("fp32_top1", "quant_top1", "synth_final_loss")) {
            assertEquals(nb.get(k).getAsDouble(), sc.get(k).getAsDouble(), 0.0, "notebook vs script: " + k);
            assertEquals(nb.get(k).getAsDouble(), run.get(k).getAsDouble(), 0.0, "notebook vs genie run: " + k);
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
