package genie.kernel;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;

/** Cell history of this kernel session (tail, range and glob search as in IPython). */
final class InMemoryHistory implements HistoryManager {

    static final int SESSION = 1;

    private record Cell(int number, String input, String output) {
    }

    private final List<Cell> cells = new ArrayList<>();

    synchronized void add(int number, String input, String output) {
        cells.add(new Cell(number, input, output));
    }

    /** Answers a history_request: its access type, raw or transformed input, output or not, unique or not. */
    List<HistoryEntry> lookup(HistoryRequest request) {
        Set<ResultFlag> flags = EnumSet.noneOf(ResultFlag.class);
        if (request.includeOutput()) flags.add(ResultFlag.INCLUDE_OUTPUT);
        if (!request.useRaw()) flags.add(ResultFlag.TRANSFORMED_INPUT);
        return switch (request.getAccessType()) {
            case TAIL -> lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range r = (HistoryRequest.Range) request;
                yield lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search s = (HistoryRequest.Search) request;
                if (s.filterUnique()) flags.add(ResultFlag.UNIQUE);
                yield search(s.getPattern(), s.getMaxReturnLength(), flags);
            }
        };
    }

    private static HistoryEntry entry(Cell c, Set<ResultFlag> flags) {
        return new HistoryEntry(SESSION, c.number, c.input,
                flags.contains(ResultFlag.INCLUDE_OUTPUT) ? (c.output == null ? "" : c.output) : null);
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int n, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        int from = Math.max(0, cells.size() - Math.max(n, 0));
        for (int i = from; i < cells.size(); i++) out.add(entry(cells.get(i), flags));
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        if (session != SESSION && session != 0) return out;
        for (Cell c : cells) {
            if (c.number >= start && (stop <= 0 || c.number < stop)) out.add(entry(c, flags));
        }
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> search(String pattern, int n, Set<ResultFlag> flags) {
        Pattern p = glob(pattern == null || pattern.isEmpty() ? "*" : pattern);
        List<Cell> matches = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = cells.size() - 1; i >= 0; i--) {
            Cell c = cells.get(i);
            if (!p.matcher(c.input).matches()) continue;
            if (flags.contains(ResultFlag.UNIQUE) && !seen.add(c.input)) continue;
            matches.add(0, c);
            if (n > 0 && matches.size() >= n) break;
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (Cell c : matches) out.add(entry(c, flags));
        return out;
    }

    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
