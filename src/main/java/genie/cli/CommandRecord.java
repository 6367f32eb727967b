package genie.cli;

import genie.quant.UnitReport;
import genie.report.Record;
import genie.synth.SynthReport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's {@code --record}: its result map split into settings and figures, the command line, and the loss
 * curves of the stages that ran, which the stages hand in as they finish (no side channel).
 */
final class CommandRecord {
    /** Result keys that describe the run rather than measure it. */
    static final List<String> CONFIG_KEYS = List.of("model", "data", "method", "wbits", "abits", "recon_iters",
            "samples", "seed", "eval_images", "export", "out", EffectiveConfig.KEY);

    private final String command;
    private List<UnitReport> units;
    private SynthReport synth;

    CommandRecord(String command) {
        this.command = command;
    }

    /** The reconstruction's unit reports (their loss curves go to losses.csv). */
    void units(List<UnitReport> reports) {
        this.units = reports;
    }

    /** The synthesis report (its loss curves go to losses.csv). */
    void synth(SynthReport report) {
        this.synth = report;
    }

    /** Writes the record into {@code dir} (nothing when it is null) and says where; returns the folder. */
    Path write(Path dir, Map<String, ?> result) throws IOException {
        if (dir == null) return null;
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> metrics = new LinkedHashMap<>();
        config.put("command", command);
        for (Map.Entry<String, ?> e : result.entrySet()) {
            if (CONFIG_KEYS.contains(e.getKey())) config.put(e.getKey(), e.getValue());
            else metrics.put(e.getKey(), e.getValue());
        }
        List<String> argv = ProcessHandle.current().info().arguments().map(List::of).orElse(List.of());
        int main = argv.indexOf("genie.cli.Main");
        if (main >= 0) config.put("argv", argv.subList(main + 1, argv.size()));
        Path out = Record.of(command).config(config).metrics(metrics).units(units).synth(synth).write(dir);
        System.out.println("record: " + out);
        return out;
    }
}
