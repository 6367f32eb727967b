package genie.magics;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.util.ArrayList;
import java.util.List;

/**
 * A magic's command line: the CLI's own picocli command (or mixins), so option names, defaults, help text and
 * error messages are the CLI's, plus the few notebook options ({@code --as}, {@code --teacher}, ...).
 */
final class MagicSpec {
    final CommandSpec spec;
    final CommandLine cl;
    ParseResult parsed;

    private MagicSpec(CommandSpec spec) {
        this.spec = spec;
        this.cl = new CommandLine(spec);
    }

    /** From a CLI command object (e.g. {@code new QuantizeCommand()}), renamed to the magic. */
    static MagicSpec of(Object cliCommand, String magic, String note) {
        CommandSpec spec = CommandSpec.forAnnotatedObject(cliCommand);
        spec.name("%" + magic);
        // Progress, JSON lines and record folders are the command line's; a cell shows and binds its results, so a
        // magic refuses these options instead of ignoring them.
        for (String cliOnly : genie.cli.OutputOptions.CLI_ONLY) {
            OptionSpec o = spec.findOption(cliOnly);
            if (o != null) {
                spec.remove(o);
            }
        }
        if (note != null) {
            String[] d = spec.usageMessage().description();
            String[] nd = java.util.Arrays.copyOf(d, d.length + 1);
            nd[d.length] = note;
            spec.usageMessage().description(nd);
        }
        return new MagicSpec(spec);
    }

    /** A magic made of mixins (e.g. ModelOptions) and its own options. */
    static MagicSpec create(String magic, String description, Object... mixins) {
        CommandSpec spec = CommandSpec.create().name("%" + magic).mixinStandardHelpOptions(true);
        spec.usageMessage().description(description);
        int i = 0;
        for (Object m : mixins) {
            spec.addMixin("mixin" + i++, CommandSpec.forAnnotatedObject(m));
        }
        return new MagicSpec(spec);
    }

    MagicSpec option(String name, Class<?> type, String defaultValue, String label, String description) {
        OptionSpec.Builder b = OptionSpec.builder(name).type(type).description(description);
        if (defaultValue != null) {
            b.defaultValue(defaultValue);
        }
        if (label != null) {
            b.paramLabel(label);
        }
        if (type.isArray()) {
            b.arity("1..*");
        }
        spec.addOption(b.build());
        return this;
    }

    MagicSpec positional(String label, String description) {
        spec.addPositional(CommandLine.Model.PositionalParamSpec.builder().index("0").arity("0..1").type(String.class)
                .paramLabel(label).description(description).build());
        return this;
    }

    /**
     * Parses; null when help was printed. Bad options throw {@link MagicException} with the CLI's very message
     * (the usage goes to stderr, as the CLI does).
     */
    MagicSpec parse(List<String> args) {
        try {
            parsed = cl.parseArgs(args.stream().map(MagicSpec::expand).toArray(String[]::new));
        } catch (ParameterException e) {
            System.err.print(cl.getUsageMessage());
            throw new MagicException(e.getMessage());
        }
        if (parsed.isUsageHelpRequested()) {
            System.out.print(cl.getUsageMessage());
            return null;
        }
        if (parsed.isVersionHelpRequested()) {
            cl.printVersionHelp(System.out);
            return null;
        }
        return this;
    }

    private static final java.util.regex.Pattern VAR = java.util.regex.Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)}");

    /** Replaces {@code ${NAME}} by a bound value ({@link Session}), else a system property, else an environment variable. */
    static String expand(String arg) {
        java.util.regex.Matcher m = VAR.matcher(arg);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = Session.has(name) ? String.valueOf(Session.get(name))
                    : System.getProperty(name, System.getenv(name));
            if (v == null) {
                throw new MagicException("${" + name + "} is neither a bound value, a system property nor an "
                        + "environment variable");
            }
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    <T> T get(String option) {
        OptionSpec o = spec.findOption(option);
        if (o == null) {
            throw new IllegalStateException("the CLI has no option " + option);
        }
        return (T) o.getValue();
    }

    String positional() {
        return spec.positionalParameters().isEmpty() ? null : (String) spec.positionalParameters().get(0).getValue();
    }

    boolean matched(String option) {
        return parsed != null && parsed.hasMatchedOption(option);
    }

    /** The user object of the first mixin (anywhere in the command) of a type, e.g. ModelOptions. */
    <T> T mixin(Class<T> type) {
        if (type.isInstance(spec.userObject())) {
            return type.cast(spec.userObject());
        }
        for (CommandSpec m : spec.mixins().values()) {
            if (type.isInstance(m.userObject())) {
                return type.cast(m.userObject());
            }
        }
        throw new IllegalStateException("no " + type.getSimpleName() + " in " + spec.name());
    }

    /** A cell magic's arguments: the line's, then each body line's (blank lines and {@code #} comments skipped). */
    static List<String> withBody(List<String> args, String body) {
        List<String> all = new ArrayList<>(args);
        if (body != null) {
            for (String line : body.split("\\R")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#") || t.startsWith("//")) {
                    continue;
                }
                all.addAll(tokens(t));
            }
        }
        return all;
    }

    /** Splits on blanks, keeping "double" or 'single' quoted parts together. */
    static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                any = false;
            } else {
                cur.append(c);
            }
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
