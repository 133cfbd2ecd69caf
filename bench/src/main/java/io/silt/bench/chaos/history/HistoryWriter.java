package io.silt.bench.chaos.history;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Appends events to one history file, each line in one unbuffered {@code write} right after the event it records, so
 * a process killed with SIGKILL leaves a valid prefix (at worst a half-written last line, which {@link History}
 * ignores). Not fsynced: the runs kill processes, not the machine. Thread-safe.
 */
public final class HistoryWriter implements AutoCloseable {
    private final Path file;
    private final FileOutputStream out;

    /** Opens {@code file} for appending (creating it). */
    public HistoryWriter(Path file) {
        this.file = file;
        try {
            this.out = new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open history " + file, e);
        }
    }

    /** Appends {@code event} as one line. */
    public void write(Event event) {
        byte[] line = (event.format() + "\n").getBytes(StandardCharsets.US_ASCII);
        synchronized (out) {
            try {
                out.write(line);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to history " + file, e);
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        synchronized (out) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close history " + file, e);
            }
        }
    }
}
