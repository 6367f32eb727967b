package genie.kernel;

import org.dflib.jjava.jupyter.messages.MessageContext;

/**
 * A shell or control message the kernel cannot act on. {@link #replyTo()} is the request to answer with an error
 * reply, or null when the message must only be dropped (bad signature, unreadable header, no reply type).
 */
final class BadMessage extends Exception {

    private final String msgType;
    private final transient MessageContext replyTo;

    BadMessage(String msgType, String problem, MessageContext replyTo) {
        super(problem, null, false, false);
        this.msgType = msgType == null || msgType.isBlank() ? "message of unknown type" : msgType;
        this.replyTo = replyTo;
    }

    /** The msg_type as the header gave it, or a placeholder when the header could not be read. */
    String msgType() {
        return msgType;
    }

    MessageContext replyTo() {
        return replyTo;
    }

    /** The one stderr line the kernel logs for it. */
    String logLine() {
        return "genie-kernel: " + (replyTo == null ? "dropped " : "answered with an error: ") + msgType + ": "
                + getMessage();
    }
}
