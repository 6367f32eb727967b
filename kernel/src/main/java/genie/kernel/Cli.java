package genie.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./genie kernel install [--user|--sys-prefix|--prefix DIR]}, {@code ./genie kernel spec},
 * {@code ./genie notebook [jupyter args...]}.
 */
@Command(name = "genie", mixinStandardHelpOptions = true, version = "genie-kernel " + GenieKernel.VERSION,
        subcommands = {Cli.KernelCommand.class, Cli.NotebookCommand.class, ScriptCommand.class},
        description = "Genie for Java: Jupyter kernel and notebook launcher.")
public final class Cli implements Callable<Integer> {

    /** The Jupyter command used (override with GENIE_JUPYTER for tests). */
    static String jupyter() {
        String env = System.getenv("GENIE_JUPYTER");
        return env != null && !env.isBlank() ? env : "/usr/bin/jupyter";
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Cli()).setUnmatchedOptionsArePositionalParams(true).execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** Where to install: exactly one of --user, --sys-prefix, --prefix (none: the system-wide default). */
    static final class Target {
        @Option(names = "--user", description = "install for the current user") boolean user;
        @Option(names = "--sys-prefix", description = "install into Python's sys.prefix") boolean sysPrefix;
        @Option(names = "--prefix", paramLabel = "DIR", description = "install into DIR/share/jupyter/kernels") Path prefix;

        List<String> jupyterFlags() {
            if (user) return List.of("--user");
            if (sysPrefix) return List.of("--sys-prefix");
            if (prefix != null) return List.of("--prefix", prefix.toAbsolutePath().toString());
            return List.of();
        }

        /** The kernels directory when we must write it ourselves (no jupyter command). */
        Path kernelsDir() {
            if (prefix != null) return prefix.toAbsolutePath().resolve("share/jupyter/kernels");
            if (user) {
                String data = System.getenv("JUPYTER_DATA_DIR");
                if (data != null && !data.isBlank()) return Path.of(data, "kernels");
                String xdg = System.getenv("XDG_DATA_HOME");
                Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                        : Path.of(System.getProperty("user.home"), ".local", "share");
                return base.resolve("jupyter/kernels");
            }
            if (sysPrefix) return Path.of("/usr/share/jupyter/kernels");
            return Path.of("/usr/local/share/jupyter/kernels");
        }
    }

    @Command(name = "kernel", mixinStandardHelpOptions = true, description = "Manage the Jupyter kernelspec.",
            subcommands = {InstallCommand.class, SpecCommand.class})
    static final class KernelCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            CommandLine.usage(this, System.out);
            return 2;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install the kernelspec '" + Kernelspec.NAME + "' (" + Kernelspec.DISPLAY_NAME + ").")
    static final class InstallCommand implements Callable<Integer> {
        @CommandLine.ArgGroup(exclusive = true, multiplicity = "0..1")
        Target target = new Target();

        @Option(names = "--java", paramLabel = "PATH", description = "java binary for the kernel (default: this JVM's)")
        String java;

        @Override
        public Integer call() throws Exception {
            return install(target == null ? new Target() : target, java);
        }
    }

    @Command(name = "spec", mixinStandardHelpOptions = true, description = "Print kernel.json.")
    static final class SpecCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println(Kernelspec.toJson(Kernelspec.json(Kernelspec.currentJava(), Kernelspec.kernelClasspath())));
            return 0;
        }
    }

    @Command(name = "notebook", mixinStandardHelpOptions = false,
            description = "Install the kernelspec (--user) and start Jupyter Notebook on the notebooks/ folder. "
                    + "Other arguments (--no-browser, --port ...) go to Jupyter.")
    static final class NotebookCommand implements Callable<Integer> {
        /** Everything after "notebook", in order (unknown options are kept as positional parameters). */
        @CommandLine.Parameters(arity = "0..*", paramLabel = "JUPYTER_ARG")
        List<String> jupyterArgs = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            if (!ensureJupyter()) return 2;
            Target user = new Target();
            user.user = true;
            int rc = install(user, null);
            if (rc != 0) return rc;
            List<String> cmd = new ArrayList<>(List.of(jupyter(), "notebook"));
            List<String> extra = new ArrayList<>(jupyterArgs);
            if (extra.stream().noneMatch(a -> a.startsWith("--notebook-dir"))) {
                cmd.add("--notebook-dir=" + notebooksDir());
            }
            cmd.addAll(extra);
            if (isUid0() && !extra.contains("--allow-root")) cmd.add("--allow-root"); // Jupyter refuses root otherwise
            System.out.println("Starting: " + String.join(" ", cmd));
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            return p.waitFor();
        }
    }

    /** The repository's notebooks/ folder (kernel/target/classes -> repo root), else the working directory's. */
    static Path notebooksDir() {
        String home = System.getProperty("genie.home");
        Path root;
        if (home != null) {
            root = Path.of(home);
        } else {
            Path classes = Kernelspec.classesLocation().toAbsolutePath();
            Path candidate = classes.getParent() == null || classes.getParent().getParent() == null ? null
                    : classes.getParent().getParent().getParent();
            root = candidate != null && Files.isDirectory(candidate.resolve("notebooks")) ? candidate
                    : Path.of("").toAbsolutePath();
        }
        Path nb = root.resolve("notebooks");
        try {
            Files.createDirectories(nb);
        } catch (IOException ignored) {
            // jupyter will complain
        }
        return nb;
    }

    /** `jupyter kernelspec` needs the jupyter-kernelspec script (Debian package jupyter-client). */
    static boolean kernelspecCommandPresent() {
        Path j = Path.of(jupyter());
        return Files.isExecutable(j) && j.getParent() != null
                && Files.isExecutable(j.getParent().resolve("jupyter-kernelspec"));
    }

    static boolean jupyterPresent() {
        return Files.isExecutable(Path.of(jupyter()));
    }

    /**
     * Makes sure Jupyter Notebook is installed: as root on Debian it runs apt-get itself (and says so); otherwise it
     * prints the one command that fixes it.
     */
    static boolean ensureJupyter() throws Exception {
        if (jupyterPresent()) return true;
        String fix = "apt-get install -y jupyter-notebook python3-ipykernel";
        boolean debian = Files.exists(Path.of("/etc/debian_version"));
        boolean root = "root".equals(System.getProperty("user.name")) || isUid0();
        if (debian && root) {
            System.out.println(jupyter() + " is missing; installing it: " + fix);
            Process p = new ProcessBuilder("apt-get", "install", "-y", "jupyter-notebook", "python3-ipykernel")
                    .inheritIO().start();
            if (p.waitFor() == 0 && jupyterPresent()) return true;
            System.err.println("apt-get failed; run: " + fix);
            return false;
        }
        System.err.println(jupyter() + " is missing. Install Jupyter with:\n  sudo " + fix);
        return false;
    }

    private static boolean isUid0() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (Exception e) {
            return false;
        }
    }

    /** Writes the kernelspec into a temp dir and installs it with `jupyter kernelspec install`, or writes it directly. */
    static int install(Target target, String java) throws Exception {
        String javaBin = java != null ? java : Kernelspec.currentJava();
        String cp = Kernelspec.kernelClasspath();
        if (!kernelspecCommandPresent()) {
            Path dir = Kernelspec.writeTo(target.kernelsDir().resolve(Kernelspec.NAME), javaBin, cp);
            System.out.println("Installed kernelspec " + Kernelspec.NAME + " in " + dir + " (no `" + jupyter()
                    + " kernelspec` command found, so it was written directly)");
            return 0;
        }
        Path tmp = Files.createTempDirectory("genie-kernelspec-");
        Path src = Kernelspec.writeTo(tmp.resolve(Kernelspec.NAME), javaBin, cp);
        List<String> cmd = new ArrayList<>(List.of(jupyter(), "kernelspec", "install", "--name", Kernelspec.NAME));
        cmd.addAll(target.jupyterFlags());
        cmd.add(src.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        for (File f : List.of(src.resolve("kernel.json").toFile(), src.resolve("logo-32x32.png").toFile(),
                src.resolve("logo-64x64.png").toFile(), src.toFile(), tmp.toFile())) {
            f.delete();
        }
        if (rc != 0) {
            System.err.println(String.join(" ", cmd) + " failed:\n" + out);
            return rc;
        }
        System.out.print(out);
        System.out.println("Kernel '" + Kernelspec.DISPLAY_NAME + "' uses " + javaBin + " with class path " + cp);
        return 0;
    }
}
