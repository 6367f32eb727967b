package genie.cli;

import picocli.CommandLine.Option;

/** {@code --json}, declared once for every command that can end its output with a JSON line ({@link JsonOut}). */
public class JsonOption {
    @Option(names = "--json", description = "End stdout with one JSON line.")
    public boolean json;
}
