package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelspecTest {

    @Test
    @SuppressWarnings("unchecked")
    void jsonContent() {
        String json = Kernelspec.toJson(Kernelspec.json("/opt/java/bin/java", "/k/classes:/k/lib/*"));
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        assertEquals("Genie (Java)", o.get("display_name").getAsString());
        assertEquals("java", o.get("language").getAsString());
        assertEquals("message", o.get("interrupt_mode").getAsString());
        List<String> argv = new com.google.gson.Gson().fromJson(o.get("argv"), List.class);
        assertEquals("/opt/java/bin/java", argv.get(0));
        for (String flag : List.of("-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1")) {
            assertTrue(argv.contains(flag), flag);
        }
        int cp = argv.indexOf("-cp");
        assertEquals("/k/classes:/k/lib/*", argv.get(cp + 1));
        assertEquals(List.of("genie.kernel.GenieKernel", "{connection_file}"), argv.subList(argv.size() - 2, argv.size()));
        Map<String, String> env = new com.google.gson.Gson().fromJson(o.get("env"), Map.class);
        assertEquals(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true", "OMP_WAIT_POLICY", "PASSIVE",
                "MALLOC_ARENA_MAX", "2"), env);
    }

    @Test
    void classpathIsAbsoluteClassesPlusLib() {
        String cp = Kernelspec.kernelClasspath();
        assertTrue(Path.of(cp.split(java.io.File.pathSeparator)[0]).isAbsolute(), cp);
    }

    @Test
    void writesKernelJsonAndLogos(@TempDir Path dir) throws Exception {
        Path spec = Kernelspec.writeTo(dir.resolve("genie-java"), "java", "cp");
        assertTrue(Files.size(spec.resolve("kernel.json")) > 100);
        for (String logo : List.of("logo-32x32.png", "logo-64x64.png")) {
            byte[] b = Files.readAllBytes(spec.resolve(logo));
            assertEquals((byte) 0x89, b[0]);
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(spec.resolve(logo).toFile());
            assertEquals(logo.contains("64") ? 64 : 32, img.getWidth());
        }
    }

    @Test
    void cliInstallsIntoPrefix(@TempDir Path prefix) {
        assertEquals(0, Cli.run("kernel", "install", "--prefix", prefix.toString()));
        assertTrue(Files.exists(prefix.resolve("share/jupyter/kernels/genie-java/kernel.json")));
        assertTrue(Files.exists(prefix.resolve("share/jupyter/kernels/genie-java/logo-64x64.png")));
    }

    @Test
    void cliRejectsTwoTargets(@TempDir Path prefix) {
        assertTrue(Cli.run("kernel", "install", "--user", "--prefix", prefix.toString()) != 0);
    }

    @Test
    void startupImportsOnlyExistingGeniePackages() {
        List<String> found = ShellStartup.existingPackages(List.of("genie.util", "genie.doesnotexist"));
        assertEquals(List.of("genie.util"), found);
        List<String> imports = ShellStartup.snippets();
        assertTrue(imports.contains("import genie.util.*;"));
        assertTrue(imports.contains("import java.util.*;"));
        assertTrue(imports.contains("import static genie.kernel.Notebook.*;"));
    }
}
