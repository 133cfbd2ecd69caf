package io.silt.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filesystem store under {@code kill -9}: a {@link FsDurabilityWorker} JVM writes (plain puts and create-only
 * writes of 0 bytes to 256 KiB, fsync on) and is SIGKILLed after a random number of acknowledged writes, round
 * after round on the same root. After every round the store is reopened and must hold no torn object (every
 * payload passes its embedded CRC32C and belongs to its key), every acknowledged write (a put key holds the
 * acknowledged version or a newer one, a created key the acknowledged content), and nothing but the objects
 * written. Temporary files left by the kills are deleted at open once older than
 * {@link FileSystemObjectStore#STALE_TEMP_AGE} (their age is set on the files, not waited for).
 *
 * <p>Rounds: {@code -Dsilt.durability.rounds} (default 20); seed: {@code -Dsilt.durability.seed}.
 */
class FileSystemKillDurabilityTest {
    private static final System.Logger LOG = System.getLogger(FileSystemKillDurabilityTest.class.getName());
    private static final int ROUNDS = Integer.getInteger("silt.durability.rounds", 20);
    private static final long SEED = Long.getLong("silt.durability.seed", 91);

    @TempDir
    Path tmp;

    @Test
    void killedWritersLeaveNoTornObjectAndLoseNoAcknowledgedWrite() throws Exception {
        Path root = tmp.resolve("store");
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, Long> ackedPuts = new HashMap<>();
        Map<String, Long> ackedCreates = new HashMap<>();
        int acks = 0;
        Set<Path> tempsSeen = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 1 + random.nextInt(120);
            for (String line : runUntilKilled(root, round, random.nextLong(), killAfter)) {
                String[] f = line.split(" ");
                if (f[0].equals("ACK")) {
                    acks++;
                    (f[1].equals("PUT") ? ackedPuts : ackedCreates).merge(f[2], Long.parseLong(f[3]), Math::max);
                }
            }
            try (FileSystemObjectStore store = new FileSystemObjectStore(root)) {
                verify(store, ackedPuts, ackedCreates, round);
            }
            tempsSeen.addAll(temps(root));
        }
        int left = temps(root).size();
        LOG.log(System.Logger.Level.INFO, "kill -9 durability: {0} rounds (seed {1}), {2} acknowledged writes, all"
                + " present and whole; {3} temporary files seen after kills, {4} left at the end", ROUNDS, SEED, acks,
                tempsSeen.size(), left);
        assertThat(acks).isGreaterThanOrEqualTo(ROUNDS);
        staleTemporaryFilesAreDeletedAtOpen(root);
    }

    /** Ages what the kills left (plus one dead writer's file made here) past the limit; a young one must stay. */
    private static void staleTemporaryFilesAreDeletedAtOpen(Path root) throws IOException {
        Path tempDir = root.resolve("~tmp");
        Files.write(tempDir.resolve("4242-1-1-dead.tmp"), new byte[] {1, 2, 3});
        FileTime old = FileTime.from(Instant.now().minus(FileSystemObjectStore.STALE_TEMP_AGE).minusSeconds(60));
        List<Path> stale = temps(root);
        for (Path p : stale) {
            Files.setLastModifiedTime(p, old);
        }
        Path young = tempDir.resolve("4243-1-1-live.tmp");
        Files.write(young, new byte[] {4});
        try (FileSystemObjectStore store = new FileSystemObjectStore(root)) {
            assertThat(store.listAll("")).allMatch(i -> i.key().startsWith("put/") || i.key().startsWith("create/"));
        }
        assertThat(temps(root)).as("of %s stale temporary files", stale.size()).containsExactly(young);
    }

    private static void verify(FileSystemObjectStore store, Map<String, Long> ackedPuts,
                               Map<String, Long> ackedCreates, int round) {
        Map<String, Long> present = new HashMap<>();
        for (ObjectInfo info : store.listAll("")) {
            String key = info.key();
            assertThat(key).as("round %d: an object nobody wrote", round).matches("put/k\\d+|create/r\\d+-\\d+");
            byte[] bytes = store.get(key).orElseThrow().bytes();
            assertThat(bytes.length).as("round %d: listed size of %s", round, key).isEqualTo(info.size());
            present.put(key, FsDurabilityWorker.check(key, bytes)); // throws on a torn object
        }
        ackedPuts.forEach((key, version) -> assertThat(present.get(key))
                .as("round %d: %s acknowledged at version %d", round, key, version).isNotNull()
                .isGreaterThanOrEqualTo(version));
        ackedCreates.forEach((key, version) -> assertThat(present.get(key))
                .as("round %d: created %s", round, key).isEqualTo(version));
    }

    private static List<Path> temps(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("~tmp"))) {
            return s.toList();
        }
    }

    /** Starts a worker and SIGKILLs it as soon as it has printed {@code killAfter} acknowledgements. */
    private List<String> runUntilKilled(Path root, int round, long seed, int killAfter) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path err = tmp.resolve("worker-" + round + ".err");
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), FsDurabilityWorker.class.getName(), root.toString(),
                Integer.toString(round), Long.toString(seed))
                .redirectError(err.toFile()).start();
        List<String> lines = new ArrayList<>();
        CountDownLatch killed = new CountDownLatch(1);
        Thread pump = new Thread(() -> {
            int acks = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.startsWith("ACK ") && ++acks == killAfter) {
                        child.destroyForcibly(); // SIGKILL, while the worker's threads are mid-write
                        killed.countDown();
                        return; // what it printed after this is not needed: only fewer writes are checked
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "durability-pump-" + round);
        pump.start();
        try {
            assertThat(killed.await(60, TimeUnit.SECONDS)).as("round %d: %d acknowledgements in time; stderr: %s",
                    round, killAfter, Files.exists(err) ? Files.readString(err) : "").isTrue();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("round %d: worker died", round).isTrue();
            pump.join(10_000);
        } finally {
            child.destroyForcibly();
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
