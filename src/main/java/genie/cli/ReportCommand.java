package genie.cli;

import genie.report.RecordTable;
import genie.report.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genie report DIR...}: run records (from {@code --record DIR} or {@code Record.write}) as one table. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Aggregate run records (folders with record.json, searched below each DIR) into one table.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Record folders or folders containing them.")
    List<Path> dirs;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table as CSV.")
    Path csv;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the table as an HTML page.")
    Path html;

    @Override
    public Integer call() throws Exception {
        var table = RecordTable.of(dirs);
        if (table.rowCount() == 0) {
            System.err.println("genie report: no record.json found below " + dirs);
            return 1;
        }
        System.out.println(table.printAll());
        System.out.println(table.rowCount() + " record(s)");
        if (csv != null) {
            Tables.csv(table, csv);
            System.out.println("wrote " + csv);
        }
        if (html != null) {
            if (html.getParent() != null) Files.createDirectories(html.getParent());
            Files.writeString(html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Genie runs</title>"
                    + "<style>table{border-collapse:collapse;font-family:sans-serif;font-size:13px}"
                    + "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style></head><body>\n"
                    + Tables.html(table) + "\n</body></html>\n");
            System.out.println("wrote " + html);
        }
        return 0;
    }
}
