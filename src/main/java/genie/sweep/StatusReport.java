package genie.sweep;

import java.util.List;
import java.util.Locale;

/** {@code genie sweep status} as text: a summary line and one line per cell (failures with their log tail). */
public final class StatusReport {
    private StatusReport() {}

    public static String summary(Sweep s, List<CellStatus> st) {
        return String.format(Locale.ROOT, "sweep %s (%s): %d cells: %d done, %d running, %d pending, %d failed",
                s.spec().name(), genie.util.DisplayPath.of(s.recordsDir()), st.size(), count(st, CellState.DONE),
                count(st, CellState.RUNNING), count(st, CellState.PENDING), count(st, CellState.FAILED));
    }

    public static String text(Sweep s, List<CellStatus> st) {
        StringBuilder sb = new StringBuilder(summary(s, st)).append('\n');
        int w = st.stream().mapToInt(x -> x.cell().label().length()).max().orElse(10);
        sb.append(String.format(Locale.ROOT, "%-8s %-" + w + "s %8s  %s%n", "state", "cell", "top-1 %", "detail"));
        for (CellStatus x : st) {
            String top1 = x.state() == CellState.DONE ? String.format(Locale.ROOT, "%.2f", x.top1()) : "";
            String detail = x.state() == CellState.DONE ? String.format(Locale.ROOT, "%.1f s, %s", x.seconds(), x.cell().folder())
                    : x.detail().replace("\n", "\n" + " ".repeat(w + 20));
            sb.append(String.format(Locale.ROOT, "%-8s %-" + w + "s %8s  %s%n", x.state(), x.cell().label(), top1, detail));
        }
        return sb.toString();
    }

    static int count(List<CellStatus> l, CellState s) {
        return (int) l.stream().filter(x -> x.state() == s).count();
    }
}
