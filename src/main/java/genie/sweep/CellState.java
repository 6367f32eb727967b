package genie.sweep;

/** Where a cell stands: its record is there, it is being computed, it waits (or is queued), or it failed. */
public enum CellState {
    DONE, RUNNING, PENDING, FAILED;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
