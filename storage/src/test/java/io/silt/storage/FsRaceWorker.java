package io.silt.storage;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One process of {@link FileSystemMultiProcessRaceTest}: opens the store root given as the first argument, waits
 * until the common start instant (epoch millis: the second argument, or, if that is {@code stdin}, the first line
 * read from stdin after printing {@code READY}), then races create-only writes over the same keys with several
 * threads, all writers starting key {@code i} at the same instant (start + i * {@value #SLOT_MILLIS} ms). Its
 * stdout is its protocol, one line per event:
 * <pre>
 *   READY
 *   START &lt;millis before the start instant when it was learnt&gt;
 *   CREATED &lt;key&gt; &lt;body&gt;       (the body is printable ASCII without spaces)
 *   FAILED &lt;key&gt; &lt;what&gt;
 *   DONE &lt;created count&gt;
 * </pre>
 * Arguments: root, start-epoch-millis or {@code stdin}, key-count, threads, fsync (true/false).
 */
public final class FsRaceWorker {
    /** Writers start key {@code i} at start + i * SLOT_MILLIS, so that every key is contended, not only the first. */
    static final long SLOT_MILLIS = 25;

    private FsRaceWorker() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int keyCount = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        boolean fsync = Boolean.parseBoolean(args[4]);
        long pid = ProcessHandle.current().pid();

        FileSystemObjectStore store = new FileSystemObjectStore(root,
                FileSystemObjectStore.Options.defaults().withFsync(fsync));
        emit("READY");
        long startAt;
        if (args[1].equals("stdin")) {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            if (line == null) {
                emit("FAILED - no start instant on stdin");
                System.exit(2);
                return;
            }
            startAt = Long.parseLong(line.trim());
        } else {
            startAt = Long.parseLong(args[1]);
        }
        emit("START " + (startAt - System.currentTimeMillis()));

        AtomicInteger created = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int threadNo = t;
            Thread w = new Thread(() -> {
                for (int i = 0; i < keyCount; i++) {
                    waitUntil(startAt + i * SLOT_MILLIS);
                    String key = key(i);
                    String body = body(pid, threadNo, key);
                    try {
                        CreateResult r = store.putIfAbsent(key, body.getBytes(StandardCharsets.US_ASCII));
                        if (r instanceof CreateResult.Created) {
                            created.incrementAndGet();
                            emit("CREATED " + key + " " + body);
                        } else if (!(r instanceof CreateResult.AlreadyExists)) {
                            failed.incrementAndGet();
                            emit("FAILED " + key + " " + r);
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        emit("FAILED " + key + " " + e);
                    }
                }
            }, "race-" + t);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        emit("DONE " + created.get());
        System.exit(failed.get() == 0 ? 0 : 1);
    }

    static String key(int i) {
        return "mp/race/" + String.format("%020d", i);
    }

    /** Unique per process, thread and key, and of a length that differs between writers. */
    static String body(long pid, int thread, String key) {
        return "pid=" + pid + ",thread=" + thread + ",key=" + key + ",pad=" + "x".repeat((int) (pid % 7) * 50 + thread * 13);
    }

    private static synchronized void emit(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void waitUntil(long epochMillis) {
        long left;
        while ((left = epochMillis - System.currentTimeMillis()) > 0) {
            try {
                Thread.sleep(Math.min(left, 2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
