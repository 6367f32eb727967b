package genie.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import genie.util.Cancellation;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.CommInfoReply;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;
import org.dflib.jjava.jupyter.messages.request.CommInfoRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

/**
 * The Genie Jupyter kernel: jjava-jupyter for the protocol, JShell for evaluation, user code running in this JVM
 * (see {@link GenieExecutionControl}) next to the Genie engine.
 *
 * <p>Interrupts (kernelspec {@code interrupt_mode: message}; SIGINT is handled the same way): first
 * {@link Cancellation#request()} so engine loops stop cleanly between iterations, then, after the grace period of
 * {@link InterruptWatchdog}, JShell's {@code stop()}, which kills the cell thread.
 */
public final class GenieKernel extends BaseKernel {

    public static final String NAME = "genie-java";
    public static final String VERSION = "0.1.0";

    /** Packages imported on demand at start-up when they have classes on the class path. */
    public static final List<String> GENIE_PACKAGES =
            List.of("genie.nn", "genie.data", "genie.eval", "genie.synth", "genie.quant", "genie.util", "genie.report");
    /** JShell's usual default imports. */
    public static final List<String> DEFAULT_IMPORTS = List.of("java.io", "java.math", "java.net", "java.nio.file",
            "java.util", "java.util.concurrent", "java.util.function", "java.util.regex", "java.util.stream");

    private static final Pattern MAGIC_PREFIX = Pattern.compile("^(%{1,2})([\\w\\-]*)$");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private final GenieIO gio;
    private final InMemoryHistory history;
    private final CompletableFuture<CellEvaluator> ready = new CompletableFuture<>();
    private final ScheduledExecutorService flusher;
    private final AtomicLong cellIds = new AtomicLong();
    private volatile long runningCell = -1;
    private volatile long interruptedCell = -1;
    private volatile InterruptWatchdog watchdog;
    private final long engineGraceMs = InterruptWatchdog.engineGraceMs();
    private final java.util.concurrent.CountDownLatch firstKernelInfo = new java.util.concurrent.CountDownLatch(1);
    /** Longest wait for the first kernel_info_request before JShell starts anyway. */
    static final long INIT_DELAY_MS = 1500;

    private GenieKernel(GenieIO io, InMemoryHistory history, Renderer renderer, MagicsRegistry magics) {
        super(NAME, VERSION, languageInfo(),
                List.of(new HelpLink("Java tutorials", "https://docs.oracle.com/javase/tutorial/"),
                        new HelpLink("JShell guide", "https://docs.oracle.com/en/java/javase/17/jshell/")),
                history, io, new CommManager(), renderer,
                new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), magics, true,
                new StringStyler.Builder()
                        .addPrimaryStyle(TextColor.BOLD_RESET_FG)
                        .addSecondaryStyle(TextColor.BOLD_RED_FG)
                        .addHighlightStyle(TextColor.BOLD_RESET_FG)
                        .addHighlightStyle(TextColor.RED_BG)
                        .build());
        this.gio = io;
        this.history = history;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "genie-stream-flusher");
            t.setDaemon(true);
            return t;
        });
        Magics.registerAll(magics);
    }

    /** Creates a kernel; JShell starts in the background ({@link #startShell()}). */
    public static GenieKernel create() {
        return new GenieKernel(new GenieIO(StandardCharsets.UTF_8), new InMemoryHistory(), new Renderer(),
                new MagicsRegistry());
    }

    static LanguageInfo languageInfo() {
        return new LanguageInfo.Builder("java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("java")
                .build();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java ... genie.kernel.GenieKernel <connection_file>");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        KernelLogging.quiet(System.getProperties());
        boolean trace = System.getenv("GENIE_KERNEL_TRACE") != null;
        long t0 = System.nanoTime();
        String json = Files.readString(Path.of(args[0]));
        KernelConnectionProperties props = KernelConnectionProperties.parse(json);
        // System.err is still the process's stderr here; cells later swap it for the notebook's stream.
        JupyterConnection connection = new GuardedConnection(props, System.err);
        GenieKernel kernel = create();
        if (trace) System.err.printf("genie-kernel: kernel built %d ms after main%n", (System.nanoTime() - t0) / 1_000_000);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        if (trace) System.err.printf("genie-kernel: connected %d ms after main%n", (System.nanoTime() - t0) / 1_000_000);
        kernel.onStartup();
        if (trace) System.err.printf("genie-kernel: started %d ms after main (JVM up %d ms)%n",
                (System.nanoTime() - t0) / 1_000_000, java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        kernel.installSigint();
        connection.waitUntilClose();
        kernel.flusher.shutdownNow();
        System.exit(0);
    }

    @Override
    public void onStartup() {
        super.onStartup();
        startShell();
    }

    /** Builds JShell and runs the start-up imports on a background thread, so kernel_info is answered at once. */
    void startShell() {
        Thread t = new Thread(() -> {
            try {
                // Let the first kernel_info_reply go out before JShell (javac) takes the CPU.
                firstKernelInfo.await(INIT_DELAY_MS, TimeUnit.MILLISECONDS);
                Renderers.registerAll(getRenderer());
                ready.complete(buildEvaluator());
            } catch (Throwable e) {
                ready.completeExceptionally(e);
            }
        }, "genie-jshell-init");
        t.setDaemon(true);
        t.start();
    }

    private CellEvaluator buildEvaluator() {
        GenieExecutionControlProvider provider = new GenieExecutionControlProvider(GenieKernel.class.getClassLoader());
        JShell shell = JShell.builder()
                .executionEngine(provider, Map.of())
                .compilerOptions("-Xlint:none")
                .build();
        for (String snippet : startupImports()) {
            shell.eval(snippet).forEach(e -> {
                if (!e.status().isDefined()) System.err.println("genie-kernel: start-up import failed: " + snippet);
            });
        }
        // Warm up the compiler and the execution path so the first user cell is quick.
        shell.eval("0").forEach(e -> {
            if (e.value() != null && provider.control() != null) provider.control().takeResult(e.value());
            shell.drop(e.snippet());
        });
        return new CellEvaluator(shell, provider);
    }

    /** The start-up import snippets: JShell's usual imports, the Genie packages that exist, and the helpers. */
    public static List<String> startupImports() {
        List<String> out = new ArrayList<>();
        for (String p : DEFAULT_IMPORTS) out.add("import " + p + ".*;");
        List<String> genie = existingPackages(GENIE_PACKAGES);
        for (String p : genie) out.add("import " + p + ".*;");
        // Single-type imports win over java.lang's implicit ones: Module and Record would be ambiguous otherwise.
        if (genie.contains("genie.nn")) out.add("import genie.nn.Module;");
        if (genie.contains("genie.report")) out.add("import genie.report.Record;");
        out.add("import static genie.kernel.Notebook.*;");
        return out;
    }

    /** The packages of the list that have at least one class on the class path (jar or directory entries). */
    public static List<String> existingPackages(List<String> packages) {
        Set<String> found = new LinkedHashSet<>();
        String cp = System.getProperty("java.class.path", "");
        for (String entry : cp.split(File.pathSeparator)) {
            if (entry.isBlank() || found.size() == packages.size()) continue;
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                for (String pkg : packages) {
                    try (var s = Files.list(p.resolve(pkg.replace('.', '/')))) {
                        if (s.anyMatch(f -> f.toString().endsWith(".class"))) found.add(pkg);
                    } catch (IOException ignored) {
                        // not in this directory
                    }
                }
            } else if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                try (var jar = new java.util.jar.JarFile(p.toFile())) {
                    jar.stream().forEach(e -> {
                        String n = e.getName();
                        int slash = n.lastIndexOf('/');
                        if (slash > 0 && n.endsWith(".class")) {
                            String pkg = n.substring(0, slash).replace('/', '.');
                            if (packages.contains(pkg)) found.add(pkg);
                        }
                    });
                } catch (IOException ignored) {
                    // unreadable jar
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String pkg : packages) if (found.contains(pkg)) ordered.add(pkg);
        return ordered;
    }

    @Override
    public void becomeHandlerForConnection(JupyterConnection connection) {
        super.becomeHandlerForConnection(connection);
        connection.setHandler(MessageType.COMM_INFO_REQUEST, this::handleCommInfoRequest);
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply((KernelInfoReply) new OkReplies.KernelInfo(Header.PROTOCOL_VERISON, name, version,
                getLanguageInfo(), getBanner(), getHelpLinks()));
        firstKernelInfo.countDown();
    }

    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        Set<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        if (!request.useRaw()) flags.add(HistoryManager.ResultFlag.TRANSFORMED_INPUT);
        List<HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> history.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range r = (HistoryRequest.Range) request;
                yield history.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search s = (HistoryRequest.Search) request;
                if (s.filterUnique()) flags.add(HistoryManager.ResultFlag.UNIQUE);
                yield history.search(s.getPattern(), s.getMaxReturnLength(), flags);
            }
        };
        env.reply(new OkReplies.History(entries == null ? List.of() : entries));
    }

    void handleCommInfoRequest(ShellReplyEnvironment env, Message<CommInfoRequest> message) {
        String target = message.getContent().getTargetName();
        env.setBusyDeferIdle();
        Map<String, CommInfoReply.CommInfo> comms = new java.util.LinkedHashMap<>();
        commManager.forEach(c -> {
            if (target == null || target.equals(c.getTargetName())) {
                comms.put(c.getID(), new CommInfoReply.CommInfo(c.getTargetName()));
            }
        });
        env.reply((CommInfoReply) new OkReplies.CommInfo(comms));
    }

    private void installSigint() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> interrupt());
        } catch (Throwable ignored) {
            // no signal support: message-mode interrupts still work
        }
    }

    CellEvaluator evaluator() {
        return ready.join();
    }

    GenieIO io() {
        return gio;
    }

    public JShell jshell() {
        return evaluator().shell();
    }

    /** Adds class path entries (separated by the path separator) to the notebook and loads their extensions. */
    public void addToClasspath(String classpath) {
        if (classpath == null || classpath.isBlank()) return;
        jshell().addToClasspath(classpath);
        installExtensions(classpath);
    }

    /** The kernel's class path followed by what the notebook added. */
    public List<String> classpath() {
        List<String> out = new ArrayList<>(List.of(System.getProperty("java.class.path", "").split(File.pathSeparator)));
        GenieExecutionControl c = evaluator().control();
        if (c != null) out.addAll(c.loader().addedClasspath());
        return out;
    }

    @Override
    protected ClassLoader getClassLoader() {
        CellEvaluator ev = ready.getNow(null);
        GenieExecutionControl c = ev == null ? null : ev.control();
        return c == null ? GenieKernel.class.getClassLoader() : c.loader().classLoader();
    }

    /** Renders a value for the notebook; never throws (a failing renderer falls back to text/plain). */
    public DisplayData renderValue(Object value) {
        if (value == null) return new DisplayData("null");
        if (value instanceof DisplayData d) return d;
        try {
            return getRenderer().render(value);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("genie-kernel: rendering " + value.getClass().getName() + " failed: " + e);
            return new DisplayData(String.valueOf(value));
        }
    }

    @Override
    public Object evalRaw(String source) {
        return evaluator().eval(magicParser.resolveMagics(source));
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        String code = request.getCode();
        boolean store = request.shouldStoreHistory() && !request.isSilent();
        int count = store ? executionCount.getAndIncrement() : executionCount.get();

        env.setBusyDeferIdle();
        env.publish(new PublishExecuteInput(code, count));
        replaceOutputStreams(env);
        gio.attach(env);
        env.defer(() -> gio.detach(env));
        gio.stdinEnabled(request.isStdinEnabled());

        String output = null;
        Cancellation.clear();
        CellEvaluator ready0 = ready.getNow(null);
        if (ready0 != null) ready0.reset();
        long cell = cellIds.incrementAndGet();
        runningCell = cell; // from here on an interrupt applies to this cell, even while JShell still starts
        CellEvaluator evaluator;
        try {
            evaluator = evaluator();
        } catch (RuntimeException e) {
            runningCell = -1;
            fail(env, count, new CellException("KernelStartupError", String.valueOf(e.getCause()),
                    ErrorFormat.runtimeError(e, Map.of())));
            return;
        }
        if (ready0 == null) evaluator.reset();
        if (interruptedCell == cell) {
            runningCell = -1;
            fail(env, count, CellException.interrupted("interrupted before the cell started"));
            if (store) history.add(count, code, null);
            return;
        }
        var flushing = flusher.scheduleWithFixedDelay(gio::flush, 100, 100, TimeUnit.MILLISECONDS);
        try {
            Object result = evaluator.eval(magicParser.resolveMagics(code));
            flushing.cancel(false);
            gio.flush();
            if (result != CellEvaluator.NO_RESULT && !request.isSilent()) {
                DisplayData data = renderValue(result);
                Object plain = data.getData(MIMEType.TEXT_PLAIN);
                output = plain == null ? null : plain.toString();
                env.publish(new PublishExecuteResult(count, data));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (CellException e) {
            flushing.cancel(false);
            gio.flush();
            fail(env, count, e);
        } catch (Throwable e) {
            flushing.cancel(false);
            gio.flush();
            String ename = e.getClass().getName();
            fail(env, count, new CellException(ename, String.valueOf(e.getMessage()),
                    ErrorFormat.runtimeError(e, Map.of())));
        } finally {
            flushing.cancel(false);
            runningCell = -1;
            if (store) history.add(count, code, output);
            NativeMemory.trim();
        }
    }

    private void fail(ShellReplyEnvironment env, int count, CellException e) {
        env.publish(new PublishError(e.ename(), e.evalue(), e.traceback()));
        ErrorReply reply = new ErrorReply(e.ename(), e.evalue(), e.traceback());
        reply.setExecutionCount(count);
        env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CellException ce) return ce.traceback();
        return ErrorFormat.runtimeError(e, Map.of());
    }

    /**
     * Interrupt: request cooperative cancellation, then let {@link InterruptWatchdog} stop the cell thread if it does
     * not stop by itself in time. Returns at once; a second interrupt of the same cell stops it without waiting.
     */
    @Override
    public void interrupt() {
        long cell = runningCell;
        if (cell < 0) return;
        InterruptWatchdog current = watchdog;
        if (interruptedCell == cell && current != null) {
            current.escalate();
            return;
        }
        interruptedCell = cell;
        Cancellation.request();
        CellEvaluator ev = ready.getNow(null);
        if (ev == null) return; // still starting: the cell is dropped once JShell is ready
        ev.markInterrupted();
        GenieExecutionControl control = ev.control();
        InterruptWatchdog w = new InterruptWatchdog(
                () -> control != null && InterruptWatchdog.inEngine(control.runningThread()),
                () -> runningCell == cell, () -> ev.shell().stop(), engineGraceMs);
        watchdog = w;
        Thread t = new Thread(() -> {
            try {
                w.run();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                System.err.println("genie-kernel: stopping the cell failed: " + e);
            } finally {
                if (watchdog == w) watchdog = null;
            }
        }, "genie-interrupt");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        CellEvaluator ev = ready.getNow(null);
        if (runningCell >= 0 && ev != null) {
            Cancellation.request();
            ev.shell().stop();
        }
        super.onShutdown(isRestarting);
        if (ev != null) {
            try {
                ev.shell().close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public String isComplete(String code) {
        String trimmed = code.strip();
        if (trimmed.startsWith("%")) return IS_COMPLETE_YES; // magics are single lines / whole cells
        return evaluator().isComplete(code);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        at = Math.max(0, Math.min(at, code.length()));
        int lineStart = code.lastIndexOf('\n', at - 1) + 1;
        Matcher m = MAGIC_PREFIX.matcher(code.substring(lineStart, at));
        if (m.find()) {
            Set<String> names = m.group(1).equals("%%") ? magicsRegistry.getCellMagicNames()
                    : magicsRegistry.getLineMagicNames();
            List<String> options = names.stream().filter(n -> n.startsWith(m.group(2))).sorted()
                    .map(n -> m.group(1) + n).collect(Collectors.toList());
            if (!options.isEmpty()) return new ReplacementOptions(options, lineStart, at);
        }
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                jshell().sourceCodeAnalysis().completionSuggestions(code, at, anchor);
        if (suggestions == null || suggestions.isEmpty()) return new ReplacementOptions(List.of(), at, at);
        List<String> options = suggestions.stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        return new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        at = Math.max(0, Math.min(at, code.length()));
        // move to the end of the identifier under the cursor, and onto a following '(' for method documentation
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) end++;
        int paren = end;
        while (paren < code.length() && Character.isWhitespace(code.charAt(paren))) paren++;
        int docAt = paren < code.length() && code.charAt(paren) == '(' ? paren + 1 : end;
        JShell shell = jshell();
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, docAt, true);
        if ((docs == null || docs.isEmpty()) && docAt == end) {
            // "Math.max" with the cursor on the name: ask as if the call were being written
            docs = shell.sourceCodeAnalysis().documentation(code.substring(0, end) + "(", end + 1, true);
        }
        List<String> plain = new ArrayList<>();
        List<String> html = new ArrayList<>();
        if (docs != null) {
            for (SourceCodeAnalysis.Documentation d : docs) {
                String jd = d.javadoc();
                plain.add(d.signature() + (jd == null || jd.isBlank() ? "" : "\n" + jd));
                html.add("<code>" + Renderers.escapeHtml(d.signature()) + "</code>"
                        + (jd == null || jd.isBlank() ? "" : "<pre>" + Renderers.escapeHtml(jd) + "</pre>"));
            }
        }
        if (plain.isEmpty()) {
            // a notebook variable: its type and value
            int start = end;
            while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) start--;
            String word = code.substring(start, end);
            if (IDENT.matcher(word).matches()) {
                shell.variables().filter(v -> v.name().equals(word) && shell.status(v).isActive()).forEach(v -> {
                    String value = valueOf(shell, v);
                    plain.add(v.typeName() + " " + v.name() + " = " + value);
                    html.add("<code>" + Renderers.escapeHtml(v.typeName() + " " + v.name()) + "</code> = <pre>"
                            + Renderers.escapeHtml(value) + "</pre>");
                });
            }
        }
        if (plain.isEmpty()) return null;
        DisplayData data = new DisplayData(String.join("\n\n", plain));
        data.putHTML(String.join("<br/>", html));
        return data;
    }

    private static String valueOf(JShell shell, VarSnippet v) {
        try {
            String s = shell.varValue(v);
            return s.length() > 500 ? s.substring(0, 500) + "..." : s;
        } catch (RuntimeException e) {
            return "<unavailable>";
        }
    }
}
