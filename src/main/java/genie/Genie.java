package genie;

/** Placeholder so the module compiles while the engine is being laid down. */
public final class Genie {
    private Genie() {}
}
