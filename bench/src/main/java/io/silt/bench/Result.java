package io.silt.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a benchmark run measured: one row per number, in the order measured.
 *
 * @param rows the numbers
 * @param notes what was run, in order (e.g. each workload's full description), for the report
 */
public record Result(List<Row> rows, List<String> notes) {
    public Result {
        rows = List.copyOf(rows);
        notes = List.copyOf(notes);
    }

    /** Rows without notes. */
    public Result(List<Row> rows) {
        this(rows, List.of());
    }

    /**
     * One number.
     *
     * @param benchmark which benchmark, e.g. {@code a. produce}
     * @param run the repetition (1, 2, ...)
     * @param configuration the setting it was measured in, e.g. {@code 4 writers}
     * @param metric what was measured, e.g. {@code MB/s}
     * @param value the number
     * @param target the target, or empty
     * @param met whether the target was met, if there is one
     */
    public record Row(String benchmark, int run, String configuration, String metric, double value,
                      Optional<String> target, Optional<Boolean> met) {
        public Row {
            Objects.requireNonNull(benchmark);
            Objects.requireNonNull(configuration);
            Objects.requireNonNull(metric);
            Objects.requireNonNull(target);
            Objects.requireNonNull(met);
        }
    }

    /** The rows of one benchmark and metric, over all runs and configurations. */
    public List<Row> find(String benchmarkPrefix, String metric) {
        return rows.stream().filter(r -> r.benchmark().startsWith(benchmarkPrefix) && r.metric().equals(metric))
                .toList();
    }

    /** Prints the rows as an aligned table. */
    public void print(PrintStream out) {
        String[] head = {"benchmark", "run", "configuration", "metric", "value", "target", "met"};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {r.benchmark(), Integer.toString(r.run()), r.configuration(), r.metric(),
                    format(r.value()), r.target().orElse(""), r.met().map(m -> m ? "yes" : "NO").orElse("")});
        }
        int[] width = new int[head.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (int n = 0; n < cells.size(); n++) {
            StringBuilder line = new StringBuilder("| ");
            for (int i = 0; i < head.length; i++) {
                String c = cells.get(n)[i];
                boolean right = i == 1 || i == 4;
                line.append(right ? " ".repeat(width[i] - c.length()) + c : c + " ".repeat(width[i] - c.length()))
                        .append(" | ");
            }
            out.println(line.toString().stripTrailing());
            if (n == 0) {
                StringBuilder sep = new StringBuilder("|");
                for (int w : width) {
                    sep.append('-').append("-".repeat(w)).append("-|");
                }
                out.println(sep);
            }
        }
        out.flush();
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** Collects rows while benchmarks run (thread-safe). */
    public static final class Builder {
        private final List<Row> rows = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final PrintStream live;

        /** @param live where each row is printed as it is added, or {@code null} */
        public Builder(PrintStream live) {
            this.live = live;
        }

        /** Adds a number without a target. */
        public void add(String benchmark, int run, String configuration, String metric, double value) {
            add(new Row(benchmark, run, configuration, metric, value, Optional.empty(), Optional.empty()));
        }

        /** Adds a number with its target and whether it was met. */
        public void add(String benchmark, int run, String configuration, String metric, double value, String target,
                        boolean met) {
            add(new Row(benchmark, run, configuration, metric, value, Optional.of(target), Optional.of(met)));
        }

        private synchronized void add(Row r) {
            rows.add(r);
            if (live != null) {
                live.printf(Locale.ROOT, "  %s [run %d] %s: %s = %s%s%n", r.benchmark(), r.run(), r.configuration(),
                        r.metric(), format(r.value()),
                        r.target().map(t -> " (target " + t + ": " + (r.met().orElse(false) ? "met" : "MISSED") + ")")
                                .orElse(""));
                live.flush();
            }
        }

        /** Adds a note (printed to the live stream too). */
        public synchronized void note(String text) {
            notes.add(text);
            if (live != null) {
                live.println(text);
                live.flush();
            }
        }

        /** Adds the rows of another run (e.g. of a benchmark suite run from this one). */
        public void addAll(Result other) {
            other.rows().forEach(this::add);
            other.notes().forEach(this::note);
        }

        /** The rows so far. */
        public synchronized Result build() {
            return new Result(rows, notes);
        }
    }
}
