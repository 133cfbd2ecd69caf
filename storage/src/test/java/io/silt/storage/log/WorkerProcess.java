package io.silt.storage.log;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AppendWorker} JVM seen from the test: its stdout lines as they come, a kill at once after the n-th
 * acknowledgement, its stderr in a file for diagnostics.
 */
final class WorkerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path stderr;
    private final Thread pump;
    private final List<String> lines = new ArrayList<>();
    private int acks;
    private int killAfterAcks = Integer.MAX_VALUE;
    private boolean killed;

    private WorkerProcess(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.pump = new Thread(this::pump, "pump-" + name);
        pump.setDaemon(true);
    }

    /** Starts a worker; {@code killAfterAcks} (0 for never) kills it with SIGKILL as soon as that many ACKs came. */
    static WorkerProcess start(String name, Path dir, Map<String, String> env, int killAfterAcks, String... args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), AppendWorker.class.getName()));
        command.addAll(List.of(args));
        Path err = dir.resolve(name + ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
            pb.environment().putAll(env);
            WorkerProcess w = new WorkerProcess(name, pb.start(), err);
            if (killAfterAcks > 0) {
                w.killAfterAcks = killAfterAcks;
            }
            w.pump.start();
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                boolean kill = false;
                synchronized (this) {
                    lines.add(line);
                    if (line.startsWith("ACK ") && ++acks >= killAfterAcks && !killed) {
                        killed = kill = true;
                    }
                    notifyAll();
                }
                if (kill) {
                    process.destroyForcibly(); // SIGKILL, at once
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                lines.add("PUMP-ERROR " + e);
            }
        } finally {
            synchronized (this) {
                lines.add("EOF");
                notifyAll();
            }
        }
    }

    /** Waits until a line equal to {@code line} came (or the output ended). */
    synchronized boolean awaitLine(String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!lines.contains(line) && !lines.contains("EOF")) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return lines.contains(line);
    }

    void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(US_ASCII));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + name, e);
        }
    }

    /** Waits for the process to end and its output to be read; returns the exit code, or -1 on timeout. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        pump.join(10_000);
        return process.exitValue();
    }

    synchronized boolean wasKilled() {
        return killed;
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** The producers it ran: id → first sequence number. */
    synchronized Map<Long, Integer> producers() {
        Map<Long, Integer> out = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.startsWith("PRODUCER ")) {
                String[] f = l.split(" ");
                out.put(Long.parseUnsignedLong(f[1], 16), Integer.parseInt(f[3]));
            }
        }
        return out;
    }

    synchronized List<LogWorkload.Ack> acks() {
        List<LogWorkload.Ack> out = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("ACK ")) {
                String[] f = l.split(" ");
                out.add(new LogWorkload.Ack(Long.parseUnsignedLong(f[1], 16), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), Long.parseLong(f[4]), f[6].equals("dup")));
            }
        }
        return out;
    }

    synchronized long count(String linePrefix) {
        return lines.stream().filter(l -> l.startsWith(linePrefix)).count();
    }

    /** The last lines of stdout and the tail of stderr, for assertion messages. */
    String diagnostics() {
        List<String> out = lines();
        String err;
        try {
            err = Files.exists(stderr) ? Files.readString(stderr) : "";
        } catch (IOException e) {
            err = "(cannot read stderr: " + e + ")";
        }
        return name + ": last output " + out.subList(Math.max(0, out.size() - 8), out.size()) + "; stderr: "
                + err.substring(Math.max(0, err.length() - 4000));
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
