package io.silt.bench.chaos.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The histories of a run: for each process (one file each), its events in the order it wrote them.
 *
 * @param byProcess process name (the file name without {@value #SUFFIX}) → its events
 */
public record History(Map<String, List<Event>> byProcess) {
    /** History files end with this. */
    public static final String SUFFIX = ".hist";

    public History {
        Map<String, List<Event>> copy = new LinkedHashMap<>();
        byProcess.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        byProcess = java.util.Collections.unmodifiableMap(copy);
    }

    /** Reads every {@code *.hist} file of {@code dir}, sorted by name. */
    public static History load(Path dir) {
        return load(dir, "");
    }

    /** Reads the {@code *.hist} files of {@code dir} whose name starts with {@code prefix}, sorted by name. */
    public static History load(Path dir, String prefix) {
        Map<String, List<Event>> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)
                    && p.getFileName().toString().startsWith(prefix)).sorted().toList()) {
                String name = f.getFileName().toString();
                out.put(name.substring(0, name.length() - SUFFIX.length()), parse(Files.readString(f,
                        StandardCharsets.US_ASCII)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the histories in " + dir, e);
        }
        return new History(out);
    }

    /**
     * The events of one file's text: one per complete line; the text after the last newline (a line the process was
     * killed while writing) is ignored, as are blank and {@code #} lines.
     */
    public static List<Event> parse(String text) {
        List<Event> out = new ArrayList<>();
        int from = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
            Event.parse(text.substring(from, nl)).ifPresent(out::add);
            from = nl + 1;
        }
        return out;
    }

    /** Every event of every process, process by process. */
    public Stream<Event> events() {
        return byProcess.values().stream().flatMap(List::stream);
    }

    /** The events of one type. */
    public <E extends Event> Stream<E> events(Class<E> type) {
        return events().filter(type::isInstance).map(type::cast);
    }
}
