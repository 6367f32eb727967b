package genie.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import genie.report.Html;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

/** Completion and inspection (Tab and Shift-Tab in Jupyter): magic names, then JShell's own analysis. */
final class CodeInsight {
    private static final Pattern MAGIC_PREFIX = Pattern.compile("^(%{1,2})([\\w\\-]*)$");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private CodeInsight() {}

    static ReplacementOptions complete(JShell shell, MagicsRegistry magicsRegistry, String code, int at) {
        at = Math.max(0, Math.min(at, code.length()));
        int lineStart = code.lastIndexOf('\n', at - 1) + 1;
        Matcher m = MAGIC_PREFIX.matcher(code.substring(lineStart, at));
        if (m.find()) {
            Set<String> names = m.group(1).equals("%%") ? magicsRegistry.getCellMagicNames()
                    : magicsRegistry.getLineMagicNames();
            List<String> options = names.stream().filter(n -> n.startsWith(m.group(2))).sorted()
                    .map(n -> m.group(1) + n).collect(Collectors.toList());
            if (!options.isEmpty()) return new ReplacementOptions(options, lineStart, at);
        }
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                shell.sourceCodeAnalysis().completionSuggestions(code, at, anchor);
        if (suggestions == null || suggestions.isEmpty()) return new ReplacementOptions(List.of(), at, at);
        List<String> options = suggestions.stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        return new ReplacementOptions(options, anchor[0], at);
    }

    static DisplayData inspect(JShell shell, String code, int at) {
        at = Math.max(0, Math.min(at, code.length()));
        // move to the end of the identifier under the cursor, and onto a following '(' for method documentation
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) end++;
        int paren = end;
        while (paren < code.length() && Character.isWhitespace(code.charAt(paren))) paren++;
        int docAt = paren < code.length() && code.charAt(paren) == '(' ? paren + 1 : end;
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, docAt, true);
        if ((docs == null || docs.isEmpty()) && docAt == end) {
            // "Math.max" with the cursor on the name: ask as if the call were being written
            docs = shell.sourceCodeAnalysis().documentation(code.substring(0, end) + "(", end + 1, true);
        }
        List<String> plain = new ArrayList<>();
        List<String> html = new ArrayList<>();
        if (docs != null) {
            for (SourceCodeAnalysis.Documentation d : docs) {
                String jd = d.javadoc();
                plain.add(d.signature() + (jd == null || jd.isBlank() ? "" : "\n" + jd));
                html.add("<code>" + Html.escape(d.signature()) + "</code>"
                        + (jd == null || jd.isBlank() ? "" : "<pre>" + Html.escape(jd) + "</pre>"));
            }
        }
        if (plain.isEmpty()) {
            // a notebook variable: its type and value
            int start = end;
            while (start > 0 && Character.isJavaIdentifierPart(code.charAt(start - 1))) start--;
            String word = code.substring(start, end);
            if (IDENT.matcher(word).matches()) {
                shell.variables().filter(v -> v.name().equals(word) && shell.status(v).isActive()).forEach(v -> {
                    String value = valueOf(shell, v);
                    plain.add(v.typeName() + " " + v.name() + " = " + value);
                    html.add("<code>" + Html.escape(v.typeName() + " " + v.name()) + "</code> = <pre>"
                            + Html.escape(value) + "</pre>");
                });
            }
        }
        if (plain.isEmpty()) return null;
        DisplayData data = new DisplayData(String.join("\n\n", plain));
        data.putHTML(String.join("<br/>", html));
        return data;
    }

    private static String valueOf(JShell shell, VarSnippet v) {
        try {
            String s = shell.varValue(v);
            return s.length() > 500 ? s.substring(0, 500) + "..." : s;
        } catch (RuntimeException e) {
            return "<unavailable>";
        }
    }
}
