package genie.kernel;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.adapters.HeaderAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryRequestAdapter;
import org.dflib.jjava.jupyter.messages.adapters.KernelTimestampAdapter;
import org.dflib.jjava.jupyter.messages.adapters.MessageTypeAdapter;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

/**
 * Turns the frames of one ZeroMQ multipart message into a jjava {@link Message}, the way jjava's
 * {@code JupyterSocket.readMessage} does, except that every problem (no delimiter, too few frames, a bad or missing
 * signature, invalid JSON, an unreadable header, an unknown type, missing or wrongly typed fields) is a
 * {@link BadMessage} instead of an exception that ends the channel's thread.
 */
final class ShellMessageDecoder {

    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    // Same adapters as jjava's reader, so a good message decodes exactly as before.
    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(KernelTimestamp.class, KernelTimestampAdapter.INSTANCE)
            .registerTypeAdapter(Header.class, HeaderAdapter.INSTANCE)
            .registerTypeAdapter(MessageType.class, MessageTypeAdapter.INSTANCE)
            .registerTypeAdapter(HistoryRequest.class, HistoryRequestAdapter.INSTANCE)
            .create();
    private static final Type MAP = new TypeToken<Map<String, Object>>() { }.getType();

    private final HMACGenerator hmac;

    ShellMessageDecoder(HMACGenerator hmac) {
        this.hmac = hmac;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Message<?> decode(List<byte[]> frames) throws BadMessage {
        int d = 0;
        while (d < frames.size() && !Arrays.equals(DELIMITER, frames.get(d))) d++;
        if (d == frames.size()) throw new BadMessage(null, "no <IDS|MSG> delimiter in " + frames.size() + " frames", null);
        if (frames.size() - d - 1 < 5) {
            throw new BadMessage(null, (frames.size() - d - 1) + " frames after the delimiter, the protocol needs 5", null);
        }
        List<byte[]> identities = frames.subList(0, d);
        byte[] signature = frames.get(d + 1);
        byte[] headerRaw = frames.get(d + 2);
        byte[] parentRaw = frames.get(d + 3);
        byte[] metadataRaw = frames.get(d + 4);
        byte[] contentRaw = frames.get(d + 5);
        List<byte[]> buffers = frames.subList(d + 6, frames.size());
        String claimedType = peekType(headerRaw);

        // Nothing of an unverified message is trusted or answered: its identities and session could be anyone's.
        String expected = hmac.calculateSignature(headerRaw, parentRaw, metadataRaw, contentRaw);
        if (expected != null && !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new BadMessage(claimedType, signature.length == 0 ? "unsigned (empty signature)" : "invalid signature",
                    null);
        }
        Header<?> header;
        try {
            header = GSON.fromJson(parse(headerRaw, "header", claimedType, null), Header.class);
        } catch (RuntimeException e) {
            throw new BadMessage(claimedType, "unreadable header: " + firstLine(e), null);
        }
        if (header == null || header.getType() == null || header.getType() == MessageType.UNKNOWN) {
            throw new BadMessage(claimedType, "unknown message type", null);
        }
        String type = header.getType().getName();
        MessageContext replyTo = RequestFields.isRequest(type) ? new Message(identities, header, null) : null;

        JsonElement parentJson = parse(parentRaw, "parent header", type, replyTo);
        JsonElement metadataJson = parse(metadataRaw, "metadata", type, replyTo);
        JsonElement contentJson = parse(contentRaw, "content", type, replyTo);
        String problem = RequestFields.problem(type, contentJson);
        if (problem != null) throw new BadMessage(type, problem, replyTo);
        try {
            Header<?> parent = parentJson.isJsonObject() && !parentJson.getAsJsonObject().isEmpty()
                    ? GSON.fromJson(parentJson, Header.class) : null;
            Map<String, Object> metadata = metadataJson.isJsonNull() ? null : GSON.fromJson(metadataJson, MAP);
            Object content = GSON.fromJson(contentJson, header.getType().getContentType());
            return new Message(List.copyOf(identities), header, parent, metadata, content, List.copyOf(buffers));
        } catch (RuntimeException e) {
            throw new BadMessage(type, "unreadable message: " + firstLine(e), replyTo);
        }
    }

    private static JsonElement parse(byte[] raw, String part, String type, MessageContext replyTo) throws BadMessage {
        try {
            return JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new BadMessage(type, part + " is not valid JSON: " + firstLine(e), replyTo);
        }
    }

    /** The msg_type a header claims, for the log line only; null when it cannot be read. */
    static String peekType(byte[] headerRaw) {
        try {
            JsonElement t = JsonParser.parseString(new String(headerRaw, StandardCharsets.UTF_8))
                    .getAsJsonObject().get("msg_type");
            String s = t == null || !t.isJsonPrimitive() ? null : t.getAsString();
            if (s == null) return null;
            // it is unverified text on its way to a log line: printable ASCII only, and short
            s = s.replaceAll("[^\\x20-\\x7e]", "?");
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = String.valueOf(root.getMessage());
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 120 ? m.substring(0, 117) + "..." : m;
    }
}
