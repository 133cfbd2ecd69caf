package io.silt.cli;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The demo's live display of the four figures: a bar redrawn in place when standard error is a terminal, a plain line
 * every second otherwise.
 */
final class DemoProgress {
    /** Counts so far, and the mean end-to-end latency of the records consumed since the last call (-1: none). */
    record Figures(long produced, long consumed, double latencyMillis) {}

    private static final int BAR = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final long total;

    DemoProgress(PrintWriter err, boolean terminal, long total) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
    }

    /** Shows the figures until {@code done}. */
    void run(Supplier<Figures> figures, BooleanSupplier done) throws InterruptedException {
        long interval = terminal ? 250 : 1000;
        long last = System.nanoTime();
        Figures prev = new Figures(0, 0, -1);
        long nextShow = last + interval * 1_000_000;
        while (!done.getAsBoolean()) {
            Thread.sleep(10);
            long now = System.nanoTime();
            if (now < nextShow) {
                continue;
            }
            Figures f = figures.get();
            show(f, prev, (now - last) / 1e9);
            prev = f;
            last = now;
            nextShow = now + interval * 1_000_000;
        }
        Figures f = figures.get();
        show(f, prev, Math.max(1e-3, (System.nanoTime() - last) / 1e9));
        if (terminal) {
            err.println();
        }
        err.flush();
    }

    private void show(Figures f, Figures prev, double seconds) {
        String line = String.format("produced %s/s  consumed %s/s  queue %s  latency %s",
                DemoRun.format((f.produced() - prev.produced()) / seconds),
                DemoRun.format((f.consumed() - prev.consumed()) / seconds),
                DemoRun.format(Math.max(0, f.produced() - f.consumed())),
                f.latencyMillis() < 0 ? "-" : String.format("%.0f ms", f.latencyMillis()));
        if (terminal) {
            int filled = (int) (BAR * Math.min(1.0, (double) f.consumed() / total));
            err.print("\r[" + "#".repeat(filled) + " ".repeat(BAR - filled) + "] "
                    + String.format("%3d%%  ", 100 * f.consumed() / total) + line + "   ");
        } else {
            err.println(String.format("%,d/%,d consumed  ", f.consumed(), total) + line);
        }
        err.flush();
    }
}
