package io.silt.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * The child of {@link FileSystemKillDurabilityTest}: writes to a {@link FileSystemObjectStore} with fsync on until
 * it is killed, and prints one line per acknowledged write on stdout:
 * <pre>
 *   READY
 *   ACK PUT &lt;key&gt; &lt;version&gt;      (a plain put, replacing the key's previous content)
 *   ACK CREATE &lt;key&gt; &lt;version&gt;   (a create-only write that won)
 * </pre>
 * Arguments: root, round (keeps versions and create-only keys distinct across rounds), seed. Two threads write:
 * one replaces {@value #PUT_KEYS} keys over and over, one creates new keys; sizes vary from 0 bytes to 256 KiB so
 * that a kill lands inside writes of every size. Every payload carries its key, version and a CRC32C of itself
 * ({@link #payload}, {@link #check}). It exits by itself after {@value #MAX_WRITES} writes per thread or when its
 * stdin closes.
 */
public final class FsDurabilityWorker {
    static final int PUT_KEYS = 16;
    /** A bound, should the parent never kill it. */
    private static final int MAX_WRITES = 20_000;
    private static final int HEADER = 8 + 4 + 4; // version, key length, crc

    private FsDurabilityWorker() {}

    public static void main(String[] args) throws Exception {
        FileSystemObjectStore store = new FileSystemObjectStore(Path.of(args[0]));
        long round = Long.parseLong(args[1]);
        long seed = Long.parseLong(args[2]);
        Thread orphanGuard = new Thread(FsDurabilityWorker::exitWhenParentGoes, "orphan-guard");
        orphanGuard.setDaemon(true);
        orphanGuard.start();
        emit("READY");
        Thread puts = new Thread(() -> write(store, round, new SplittableRandom(seed), false), "puts");
        Thread creates = new Thread(() -> write(store, round, new SplittableRandom(seed + 1), true), "creates");
        puts.start();
        creates.start();
        puts.join();
        creates.join();
    }

    private static void write(FileSystemObjectStore store, long round, SplittableRandom random, boolean createOnly) {
        for (long n = 0; n < MAX_WRITES; n++) {
            long version = round * 1_000_000 + n;
            String key = createOnly ? "create/r" + round + "-" + n : "put/k" + random.nextInt(PUT_KEYS);
            int size = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(100);
                case 2 -> random.nextInt(8192);
                default -> random.nextInt(256 * 1024);
            };
            byte[] body = payload(key, version, size, random);
            if (createOnly) {
                if (store.putIfAbsent(key, body) instanceof CreateResult.Created) {
                    emit("ACK CREATE " + key + " " + version);
                }
            } else {
                store.put(key, body);
                emit("ACK PUT " + key + " " + version);
            }
        }
    }

    /** The parent holds stdin open; when it is gone, so is the reason to write. */
    private static void exitWhenParentGoes() {
        try {
            while (System.in.read() >= 0) {
                // nothing is sent; wait for end of stream
            }
        } catch (java.io.IOException e) {
            // the pipe broke: the parent is gone too
        }
        Runtime.getRuntime().halt(3);
    }

    /** {@code version, key length, CRC32C of the rest, key, random bytes}. */
    static byte[] payload(String key, long version, int randomBytes, SplittableRandom random) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] filler = new byte[randomBytes];
        random.nextBytes(filler);
        ByteBuffer b = ByteBuffer.allocate(HEADER + k.length + randomBytes);
        b.putLong(version).putInt(k.length).putInt(0).put(k).put(filler);
        byte[] out = b.array();
        ByteBuffer.wrap(out).putInt(12, crc(out));
        return out;
    }

    /**
     * The version a payload written for {@code key} carries.
     *
     * @throws IllegalStateException if the bytes are not a whole payload written for {@code key}
     */
    static long check(String key, byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new IllegalStateException(key + ": " + bytes.length + " bytes, shorter than a payload header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long version = b.getLong();
        int keyLength = b.getInt();
        int stored = b.getInt();
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).putInt(12, 0);
        if (crc(copy) != stored) {
            throw new IllegalStateException(key + ": torn or mixed content (CRC32C mismatch, " + bytes.length
                    + " bytes)");
        }
        String written = new String(bytes, HEADER, Math.min(keyLength, bytes.length - HEADER), StandardCharsets.UTF_8);
        if (!written.equals(key)) {
            throw new IllegalStateException(key + ": holds the payload written for " + written);
        }
        return version;
    }

    private static int crc(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b);
        return (int) crc.getValue();
    }

    private static synchronized void emit(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
