package genie.kernel;

import java.util.UUID;

import genie.util.Cancellation;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * Helpers every cell can call without an import ({@code import static genie.kernel.Notebook.*} runs at start-up):
 * <pre>
 * display(chart);                       // show any value now, rendered by MIME type
 * String id = display(table);           // ... and keep its display id
 * updateDisplay(id, otherTable);        // replace that output in place
 * clearOutput();                        // clear the cell's output
 * cancellation().check();               // in a long loop: stop here after an interrupt
 * html("&lt;b&gt;hi&lt;/b&gt;"); markdown("*hi*"); svg("&lt;svg ...&gt;"); // typed results
 * </pre>
 */
public final class Notebook {

    private Notebook() {
    }

    public static GenieKernel kernel() {
        return (GenieKernel) BaseKernel.notebookKernel();
    }

    /** This session's cancellation token: long loops in a cell call {@code cancellation().check()} to obey interrupts. */
    public static Cancellation cancellation() {
        return kernel().genieSession().cancellation();
    }

    public static DisplayData render(Object o) {
        return kernel().renderValue(o);
    }

    public static DisplayData render(Object o, String... mimeTypes) {
        return kernel().getRenderer().renderAs(o, mimeTypes);
    }

    /** Shows a value now (not as the cell result) and returns its display id for {@link #updateDisplay}. */
    public static String display(Object o) {
        return show(render(o));
    }

    /** Shows a value rendered as the given MIME types, e.g. {@code display(chart, "image/png")}. */
    public static String display(Object o, String... mimeTypes) {
        return show(render(o, mimeTypes));
    }

    private static String show(DisplayData data) {
        DisplayData copy = new DisplayData(data);
        String id = copy.getDisplayId();
        if (id == null) {
            id = UUID.randomUUID().toString();
            copy.setDisplayId(id);
        }
        GenieKernel k = kernel();
        k.io().flush();
        k.display(copy);
        return id;
    }

    /** Replaces the output shown under a display id. */
    public static void updateDisplay(String id, Object o) {
        GenieKernel k = kernel();
        k.io().flush();
        k.getIO().display.updateDisplay(id, new DisplayData(render(o)));
    }

    public static void updateDisplay(String id, Object o, String... mimeTypes) {
        GenieKernel k = kernel();
        k.io().flush();
        k.getIO().display.updateDisplay(id, new DisplayData(render(o, mimeTypes)));
    }

    /** Clears this cell's output now. */
    public static void clearOutput() {
        kernel().io().clearOutput(false);
    }

    /** Clears this cell's output; with wait=true only when the next output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        kernel().io().clearOutput(wait);
    }

    public static DisplayData html(String html) {
        return of("text/html", html, html);
    }

    public static DisplayData markdown(String md) {
        return of("text/markdown", md, md);
    }

    public static DisplayData svg(String svg) {
        return of("image/svg+xml", svg, "<svg image>");
    }

    public static DisplayData png(byte[] png) {
        return of("image/png", java.util.Base64.getEncoder().encodeToString(png), "<png image>");
    }

    public static DisplayData latex(String latex) {
        return of("text/latex", latex, latex);
    }

    private static DisplayData of(String mime, Object content, String plain) {
        DisplayData d = new DisplayData(plain);
        d.putData(mime, content);
        return d;
    }
}
