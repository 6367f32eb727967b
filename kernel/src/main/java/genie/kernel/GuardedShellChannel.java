package genie.kernel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.Loop;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.zeromq.ZMQ;

/**
 * The shell (or control) channel with a loop that cannot be knocked over. jjava 1.0-a6's own loop has no error
 * handler, so one message with a bad signature or content Gson cannot bind ends its thread and the kernel stops
 * answering for good. Here each message is read whole, decoded by {@link ShellMessageDecoder}, and any problem is
 * logged as one line on the kernel's stderr and dropped, or answered with an error reply when it is a request the
 * protocol has a reply for; a handler that throws is logged the same way. The loop then serves the next message.
 */
final class GuardedShellChannel extends ShellChannel {

    private static final long SLEEP_MS = 50;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final boolean control;
    private final JupyterConnection connection;
    private final ShellMessageDecoder decoder;
    private final PrintStream log;
    private volatile Loop loop;

    GuardedShellChannel(ZMQ.Context zmq, HMACGenerator hmac, boolean control, JupyterConnection connection,
                        PrintStream log) {
        super(zmq, hmac, control, connection);
        this.control = control;
        this.connection = connection;
        this.decoder = new ShellMessageDecoder(hmac);
        this.log = log;
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        if (loop != null) throw new IllegalStateException("channel already bound");
        String name = (control ? "Control-" : "Shell-") + IDS.getAndIncrement();
        bind(formatAddress(props.getTransport(), props.getIp(), control ? props.getControlPort() : props.getShellPort()));
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        Loop l = new Loop(name, SLEEP_MS, () -> {
            if (poller.poll(0) > 0) serveOne();
        });
        // Last line of defence: whatever escapes serveOne (a zmq error, say) is logged and the loop goes on.
        l.onError(t -> {
            log.println("genie-kernel: " + name + " recovered from " + t);
            return SLEEP_MS;
        });
        l.onClose(() -> loop = null);
        loop = l;
        l.start();
    }

    private void serveOne() {
        List<byte[]> frames = readFrames();
        if (frames.isEmpty()) return;
        Message<?> message;
        try {
            message = decoder.decode(frames);
        } catch (BadMessage bad) {
            log.println(bad.logLine());
            if (bad.replyTo() != null) replyError(bad);
            return;
        }
        dispatch(message);
    }

    /** All frames of the next multipart message, so that a bad one never leaves frames behind for the next read. */
    private synchronized List<byte[]> readFrames() {
        List<byte[]> frames = new ArrayList<>();
        if (closed) return frames;
        do {
            byte[] f = recv();
            if (f == null) break;
            frames.add(f);
        } while (hasReceiveMore());
        return frames;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void dispatch(Message<?> message) {
        MessageType<?> type = message.getHeader().getType();
        ShellHandler handler = connection.getHandler(type);
        if (handler == null) {
            log.println("genie-kernel: dropped " + type.getName() + ": no handler for this message type");
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (Throwable e) {
            log.println("genie-kernel: handling " + type.getName() + " failed: " + e);
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) connection.close();
    }

    private void replyError(BadMessage bad) {
        MessageType<?> replyType = MessageType.getType(bad.msgType().replaceFirst("_request$", "_reply"));
        if (replyType == MessageType.UNKNOWN) return;
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, bad.replyTo());
        try {
            env.setBusyDeferIdle();
            env.replyError(replyType.error(), new ErrorReply("BadRequest", bad.getMessage(),
                    List.of("Bad " + bad.msgType() + ": " + bad.getMessage())));
        } catch (RuntimeException e) {
            log.println("genie-kernel: could not answer the bad " + bad.msgType() + ": " + e);
        } finally {
            env.resolveDeferrals();
        }
    }

    @Override
    public void close() {
        Loop l = loop;
        if (l != null) l.shutdown();
        super.close();
    }

    @Override
    public void waitUntilClose() {
        Loop l = loop;
        if (l == null) return;
        try {
            l.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
