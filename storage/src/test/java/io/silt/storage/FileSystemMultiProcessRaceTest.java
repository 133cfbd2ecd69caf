package io.silt.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Create-only writes are atomic across processes, not only threads: four JVMs with four threads each race
 * {@code putIfAbsent} over the same keys in one root; every key has exactly one winner and holds its bytes.
 */
class FileSystemMultiProcessRaceTest {
    private static final System.Logger LOG = System.getLogger(FileSystemMultiProcessRaceTest.class.getName());
    private static final int PROCESSES = 4;
    private static final int THREADS = 4;
    private static final int KEYS = 40;

    @TempDir
    Path tmp;

    @Test
    void createOnlyWritesHaveExactlyOneWinnerAcrossProcesses() throws Exception {
        Path root = tmp.resolve("shared-root");
        String javaCommand = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("java.class.path");

        List<Process> children = new ArrayList<>();
        List<List<String>> outputs = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        try {
            for (int p = 0; p < PROCESSES; p++) {
                Path stderr = tmp.resolve("worker-" + p + ".err");
                Process child = new ProcessBuilder(javaCommand, "-cp", classpath, FsRaceWorker.class.getName(),
                        root.toString(), "stdin", Integer.toString(KEYS), Integer.toString(THREADS),
                        "true")
                        .redirectError(stderr.toFile())
                        .start();
                children.add(child);
                List<String> lines = Collections.synchronizedList(new ArrayList<>());
                outputs.add(lines);
                Thread reader = new Thread(() -> readLines(child, lines), "race-reader-" + p);
                reader.start();
                readers.add(reader);
            }
            // the start barrier: once every worker has started (JVM start-up varies a lot under load), give them all
            // the same wall-clock instant a little ahead
            long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            for (int p = 0; p < PROCESSES; p++) {
                while (!outputs.get(p).contains("READY")) {
                    assertThat(children.get(p).isAlive()).as("worker %d is alive; output %s; stderr: %s", p,
                            outputs.get(p), Files.readString(tmp.resolve("worker-" + p + ".err"))).isTrue();
                    assertThat(System.nanoTime()).as("worker %d ready in time", p).isLessThan(readyBy);
                    Thread.sleep(10);
                }
            }
            long startAt = System.currentTimeMillis() + 500;
            for (Process child : children) {
                child.getOutputStream().write((startAt + "\n").getBytes(StandardCharsets.US_ASCII));
                child.getOutputStream().flush();
            }
            for (int p = 0; p < PROCESSES; p++) {
                Process child = children.get(p);
                boolean exited = child.waitFor(20, TimeUnit.SECONDS);
                readers.get(p).join(5_000);
                String err = Files.readString(tmp.resolve("worker-" + p + ".err"));
                assertThat(exited).as("worker %d finished in time; stderr: %s", p, err).isTrue();
                assertThat(child.exitValue()).as("worker %d exit code; output %s; stderr: %s", p, outputs.get(p), err)
                        .isZero();
            }
        } finally {
            for (Process child : children) {
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
        }

        Map<String, List<String>> winners = new HashMap<>();
        List<Long> margins = new ArrayList<>();
        int done = 0;
        for (int p = 0; p < PROCESSES; p++) {
            for (String line : outputs.get(p)) {
                String[] f = line.split(" ", 3);
                switch (f[0]) {
                    case "READY" -> { }
                    case "START" -> {
                        margins.add(Long.parseLong(f[1]));
                        if (Long.parseLong(f[1]) < 0) {
                            LOG.log(System.Logger.Level.WARNING, "worker {0} learnt the start instant {1} ms after it;"
                                    + " the race was weaker than intended", p, -Long.parseLong(f[1]));
                        }
                    }
                    case "CREATED" -> winners.computeIfAbsent(f[1], k -> new ArrayList<>()).add(f[2]);
                    case "DONE" -> done++;
                    default -> throw new AssertionError("worker " + p + " reported: " + line);
                }
            }
        }
        assertThat(done).as("workers that finished").isEqualTo(PROCESSES);

        try (FileSystemObjectStore store = new FileSystemObjectStore(root,
                FileSystemObjectStore.Options.defaults().withFsync(false))) {
            for (int i = 0; i < KEYS; i++) {
                String key = FsRaceWorker.key(i);
                List<String> bodies = winners.getOrDefault(key, List.of());
                assertThat(bodies).as("winners of %s", key).hasSize(1);
                assertThat(new String(store.get(key).orElseThrow().bytes(), StandardCharsets.US_ASCII))
                        .as("stored bytes of %s", key).isEqualTo(bodies.get(0));
            }
            assertThat(store.listAll("mp/")).hasSize(KEYS);
            assertThat(winners).hasSize(KEYS);
        }
        // the winners are spread over processes (not a proof of a race, but a sign of one)
        long winningProcesses = winners.values().stream().map(b -> b.get(0).split(",")[0]).distinct().count();
        LOG.log(System.Logger.Level.INFO, "{0} keys won by {1} different processes; workers learnt the start instant {2} ms"
                + " before it", KEYS, winningProcesses, margins);
        try (var temps = Files.list(root.resolve("~tmp"))) {
            assertThat(temps.toList()).as("temporary files left behind").isEmpty();
        }
    }

    private static void readLines(Process child, List<String> into) {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                into.add(line);
            }
        } catch (IOException e) {
            into.add("READ-ERROR " + e);
        }
    }
}
