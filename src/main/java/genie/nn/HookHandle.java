package genie.nn;

/** Removes a forward hook when closed. */
@FunctionalInterface
public interface HookHandle extends AutoCloseable {
    @Override
    void close();
}
