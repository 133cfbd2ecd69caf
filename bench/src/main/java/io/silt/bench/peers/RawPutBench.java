package io.silt.bench.peers;

import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw store's bandwidth: plain PUTs of {@code totalBytes} in objects of {@code objectBytes} (the size of Silt's
 * segments: one producer batch), from {@code concurrency} threads (Silt's producer keeps one batch in flight per
 * partition), through the same {@link ObjectStore} client Silt uses. Objects go under a prefix of their own.
 */
final class RawPutBench {
    private RawPutBench() {}

    /** MB/s (10^6 bytes) of the PUTs, first request to last response. */
    static double megabytesPerSecond(String storeUri, Map<String, String> env, long totalBytes, int objectBytes,
                                     int concurrency, long seed) {
        byte[] object = new byte[objectBytes];
        new SplittableRandom(seed).nextBytes(object);
        long objects = Math.max(1, totalBytes / objectBytes);
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "raw-put");
            t.setDaemon(true);
            return t;
        });
        try (ObjectStore store = ObjectStores.open(storeUri, env)) {
            long t0 = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (long i; (i = next.getAndIncrement()) < objects; ) {
                        store.put(String.format("raw/%012d", i), object);
                    }
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            return objects * (double) objectBytes / ((System.nanoTime() - t0) / 1e9) / 1e6;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a raw PUT failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
