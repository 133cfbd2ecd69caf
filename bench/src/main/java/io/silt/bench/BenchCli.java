package io.silt.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** The command-line frame every benchmark shares: parse, print the header, run, print the table and the time. */
final class BenchCli {
    private BenchCli() {}

    /**
     * @param name how errors name the command, e.g. {@code silt bench log}
     * @param parse the benchmark's option parser; {@code null} for {@code --help}, IllegalArgumentException for bad input
     * @param describe a one-line description of the options
     * @param run runs the benchmarks with the options, printing progress to the stream
     * @return the exit code: 0 ok, 2 usage error
     */
    static <O> int run(String name, String title, String usage, String[] args, PrintStream out, PrintStream err,
                       Function<String[], O> parse, Function<O, String> describe, Function<O, Result> run) {
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            err.println(usage);
            return 2;
        }
        if (options == null) {
            out.println(usage);
            return 0;
        }
        out.println(title);
        out.println("options: " + describe.apply(options));
        out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        out.println();
        long started = System.nanoTime();
        Result result = run.apply(options);
        out.println();
        result.print(out);
        out.printf(Locale.ROOT, "%ntotal time %.1f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** One benchmark's handling of an option that takes a value: the options with it applied. */
    @FunctionalInterface
    interface Flag<O> {
        /** @throws IllegalArgumentException for an unknown flag or a bad value */
        O apply(O options, String flag, String value);
    }

    /**
     * Applies {@code flag} to each {@code --flag value} pair of {@code rest}, in order (what remains of the command
     * line once the switches without a value, such as {@code --quick}, were taken out).
     */
    static <O> O applyFlags(List<String> rest, O options, Flag<O> flag) {
        O o = options;
        for (int i = 0; i < rest.size(); i++) {
            String name = rest.get(i);
            if (i + 1 >= rest.size()) {
                throw new IllegalArgumentException("missing value after " + name);
            }
            o = flag.apply(o, name, rest.get(++i));
        }
        return o;
    }

    /** The value of {@code --only}: comma-separated names, each read by {@code of}. */
    static <E extends Enum<E>> Set<E> only(String names, Class<E> type, Function<String, E> of) {
        Set<E> chosen = EnumSet.noneOf(type);
        for (String name : names.split(",")) {
            chosen.add(of.apply(name.trim()));
        }
        return chosen;
    }

    /** An option's value in seconds, fractions allowed ({@code 0.5}). */
    static Duration seconds(String v) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }
}
