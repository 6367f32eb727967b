package genie.kernel;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import genie.magics.Display;
import genie.magics.GenieSession;
import jdk.jshell.JShell;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
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
 * <p>This class answers the Jupyter protocol. One {@link GenieSession} per kernel holds what the notebook's magics
 * bound, its results and its cancellation token; interrupts (kernelspec {@code interrupt_mode: message}, SIGINT the
 * same) go to {@link CellInterrupts}, completion and inspection to {@link CodeInsight}, and JShell starts as
 * {@link ShellStartup} builds it.
 */
public final class GenieKernel extends BaseKernel implements GenieSession.Host {

    public static final String NAME = "genie-java";
    public static final String VERSION = "0.1.0";

    private final GenieIO gio;
    private final GenieSession session = new GenieSession();
    private final InMemoryHistory history;
    private final CompletableFuture<CellEvaluator> ready = new CompletableFuture<>();
    private final CellInterrupts interrupts =
            new CellInterrupts(session.cancellation(), () -> ready.getNow(null), InterruptWatchdog.engineGraceMs());
    private final ScheduledExecutorService flusher;
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

    /** The kernelspec's entry point: {@code GenieKernel <connection_file>}. */
    public static void main(String[] args) throws Exception {
        KernelProcess.run(args);
    }

    /** Stops the background stream flushing once the connection is closed. */
    void stopFlushing() {
        flusher.shutdownNow();
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
                Display.register(getRenderer());
                ready.complete(ShellStartup.evaluator(session.bindings()));
            } catch (Throwable e) {
                ready.completeExceptionally(e);
            }
        }, "genie-jshell-init");
        t.setDaemon(true);
        t.start();
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
        env.setBusyDeferIdle();
        List<HistoryEntry> entries = history.lookup(message.getContent());
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

    @Override
    public GenieSession genieSession() {
        return session;
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
        CellEvaluator ready0 = ready.getNow(null);
        if (ready0 != null) ready0.reset();
        long cell = interrupts.begin(); // even while JShell still starts
        CellEvaluator evaluator;
        try {
            evaluator = evaluator();
        } catch (RuntimeException e) {
            interrupts.end();
            fail(env, count, new CellException("KernelStartupError", String.valueOf(e.getCause()),
                    ErrorFormat.runtimeError(e, Map.of())));
            return;
        }
        if (ready0 == null) evaluator.reset();
        if (interrupts.interrupted(cell)) {
            interrupts.end();
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
            interrupts.end();
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

    /** Interrupt: see {@link CellInterrupts}; returns at once. */
    @Override
    public void interrupt() {
        interrupts.interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        CellEvaluator ev = ready.getNow(null);
        interrupts.stopNow(ev);
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
        return CodeInsight.complete(jshell(), magicsRegistry, code, at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return CodeInsight.inspect(jshell(), code, at);
    }
}
