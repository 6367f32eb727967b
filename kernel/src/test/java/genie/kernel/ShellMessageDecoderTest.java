package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonParser;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.CompleteRequest;
import org.junit.jupiter.api.Test;

class ShellMessageDecoderTest {

    private final HMACGenerator hmac = newHmac();
    private final ShellMessageDecoder decoder = new ShellMessageDecoder(hmac);

    private static HMACGenerator newHmac() {
        try {
            return new HMACGenerator("hmac-sha256", "secret-key");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(String type) {
        return "{\"msg_id\":\"m1\",\"username\":\"u\",\"session\":\"s\",\"date\":\"2024-01-01T00:00:00.000Z\","
                + "\"msg_type\":\"" + type + "\",\"version\":\"5.3\"}";
    }

    private List<byte[]> frames(String header, String content, String signature) {
        byte[] h = b(header);
        byte[] p = b("{}");
        byte[] m = b("{}");
        byte[] c = b(content);
        String sig = signature != null ? signature : hmac.calculateSignature(h, p, m, c);
        List<byte[]> out = new ArrayList<>();
        out.add(b("client-id"));
        out.add(ShellMessageDecoder.DELIMITER);
        out.add(b(sig));
        out.addAll(List.of(h, p, m, c));
        return out;
    }

    private List<byte[]> signed(String type, String content) {
        return frames(header(type), content, null);
    }

    @Test
    void aGoodRequestDecodesAsJjavaWould() throws BadMessage {
        Message<?> msg = decoder.decode(signed("complete_request", "{\"code\":\"Math.ab\",\"cursor_pos\":7}"));
        assertEquals(MessageType.COMPLETE_REQUEST, msg.getHeader().getType());
        CompleteRequest req = (CompleteRequest) msg.getContent();
        assertEquals("Math.ab", req.getCode());
        assertEquals(7, req.getCursorPos());
        assertEquals("client-id", new String(msg.getIdentities().get(0), StandardCharsets.UTF_8));
    }

    @Test
    void aWrongOrMissingSignatureIsDroppedWithoutAReply() {
        BadMessage wrong = assertThrows(BadMessage.class, () -> decoder.decode(
                frames(header("execute_request"), "{\"code\":\"1\"}", "0".repeat(64))));
        assertEquals("execute_request", wrong.msgType());
        assertEquals("invalid signature", wrong.getMessage());
        assertNull(wrong.replyTo());
        BadMessage unsigned = assertThrows(BadMessage.class, () -> decoder.decode(
                frames(header("execute_request"), "{\"code\":\"1\"}", "")));
        assertTrue(unsigned.getMessage().contains("unsigned"), unsigned.getMessage());
        assertTrue(unsigned.logLine().startsWith("genie-kernel: dropped execute_request: "), unsigned.logLine());
    }

    @Test
    void malformedContentOfARequestIsAnsweredWithAnError() {
        BadMessage notJson = assertThrows(BadMessage.class, () -> decoder.decode(signed("execute_request", "{oops")));
        assertTrue(notJson.getMessage().startsWith("content is not valid JSON"), notJson.getMessage());
        assertNotNull(notJson.replyTo());
        BadMessage cursor = assertThrows(BadMessage.class, () -> decoder.decode(
                signed("complete_request", "{\"code\":\"x\",\"cursor_pos\":\"abc\"}")));
        assertEquals("field 'cursor_pos' must be an integer, got \"abc\"", cursor.getMessage());
        assertEquals("m1", cursor.replyTo().getHeader().getId());
        BadMessage noCode = assertThrows(BadMessage.class, () -> decoder.decode(signed("execute_request", "{}")));
        assertEquals("missing field 'code'", noCode.getMessage());
        assertTrue(noCode.logLine().startsWith("genie-kernel: answered with an error: execute_request: "));
    }

    @Test
    void unknownTypesBrokenHeadersAndFramingAreDropped() {
        BadMessage unknown = assertThrows(BadMessage.class, () -> decoder.decode(signed("no_such_request", "{}")));
        assertEquals("unknown message type", unknown.getMessage());
        assertNull(unknown.replyTo());
        BadMessage header = assertThrows(BadMessage.class, () -> decoder.decode(
                frames("{\"msg_type\":\"execute_request\"}", "{\"code\":\"1\"}", null)));
        assertTrue(header.getMessage().startsWith("unreadable header"), header.getMessage());
        assertNull(header.replyTo());
        BadMessage noDelimiter = assertThrows(BadMessage.class, () -> decoder.decode(List.of(b("x"), b("y"))));
        assertTrue(noDelimiter.getMessage().contains("no <IDS|MSG> delimiter"));
        BadMessage short_ = assertThrows(BadMessage.class, () -> decoder.decode(
                List.of(ShellMessageDecoder.DELIMITER, b("sig"))));
        assertTrue(short_.getMessage().contains("frames after the delimiter"));
    }

    @Test
    void requestFieldsCheckPresenceAndType() {
        assertNull(RequestFields.problem("inspect_request",
                JsonParser.parseString("{\"code\":\"a\",\"cursor_pos\":1,\"detail_level\":0}")));
        assertEquals("field 'cursor_pos' must be an integer, got 1.5", RequestFields.problem("inspect_request",
                JsonParser.parseString("{\"code\":\"a\",\"cursor_pos\":1.5}")));
        assertEquals("field 'silent' must be true or false, got \"no\"", RequestFields.problem("execute_request",
                JsonParser.parseString("{\"code\":\"a\",\"silent\":\"no\"}")));
        assertEquals("content is not a JSON object",
                RequestFields.problem("kernel_info_request", JsonParser.parseString("[1]")));
        assertNull(RequestFields.problem("comm_open", JsonParser.parseString("[1]")), "not a request: no check");
    }
}
