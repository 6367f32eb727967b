package genie.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.CommInfoReply;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

/**
 * Replies that jjava-jupyter 1.0-a6 sends without the {@code status} field the protocol requires for every reply;
 * the extra field is serialised by Gson with the rest.
 */
final class OkReplies {

    private OkReplies() {
    }

    static final class KernelInfo extends KernelInfoReply {
        @SuppressWarnings("unused")
        private final String status = "ok";

        KernelInfo(String protocol, String name, String version, LanguageInfo info, String banner, List<HelpLink> links) {
            super(protocol, name, version, info, banner, links);
        }
    }

    /** history_reply: tuples (session, line, input) or (session, line, (input, output)), and the status. */
    static final class History implements ContentType<History> {
        @SuppressWarnings("rawtypes")
        private static final MessageType TYPE = HistoryReply.MESSAGE_TYPE;

        @SuppressWarnings("unused")
        private final String status = "ok";
        @SuppressWarnings("unused")
        private final List<List<Object>> history = new ArrayList<>();

        History(List<HistoryEntry> entries) {
            for (HistoryEntry e : entries) {
                Object io = e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput();
                history.add(List.of(e.getSession(), e.getCellNumber(), io));
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public MessageType<History> getType() {
            return (MessageType<History>) TYPE;
        }
    }

    static final class CommInfo extends CommInfoReply {
        @SuppressWarnings("unused")
        private final String status = "ok";

        CommInfo(Map<String, CommInfoReply.CommInfo> comms) {
            super(comms);
        }
    }
}
