package io.silt.storage.internal;

import io.silt.storage.ByteRange;
import io.silt.storage.ConditionalGet;
import io.silt.storage.CreateResult;
import io.silt.storage.ListPage;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStoreException;
import io.silt.storage.SupportsCompareAndSwap;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The store as the checks see it: idempotent requests (get, head, put, list, delete) are tried up to three times on a
 * {@linkplain ObjectStoreException#isRetriable() transient} error, as Silt's own retrying store would, so that a
 * dropped connection (S3Proxy closes one after an early 412) does not pass for a broken guarantee. The requests
 * under test, {@code putIfAbsent} and {@code putIfMatch}, are never retried. The retries are counted and reported.
 */
public final class ConformanceStore implements ObjectStore {
    private static final int TRIES = 3;

    private final ObjectStore store;
    private final AtomicInteger retries = new AtomicInteger();

    public ConformanceStore(ObjectStore store) {
        this.store = store;
    }

    /** The store's If-Match capability, if it has one. */
    public static Optional<SupportsCompareAndSwap> compareAndSwap(ObjectStore store) {
        ObjectStore s = store instanceof ConformanceStore c ? c.store : store;
        return s instanceof SupportsCompareAndSwap cas ? Optional.of(cas) : Optional.empty();
    }

    /** How many requests were retried since the last call (and resets the count). */
    public int takeRetries() {
        return retries.getAndSet(0);
    }

    private <T> T retry(Supplier<T> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.get();
            } catch (ObjectStoreException e) {
                if (!e.isRetriable() || attempt >= TRIES) {
                    throw e;
                }
                retries.incrementAndGet();
                try {
                    Thread.sleep(20L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<ObjectData> get(String key) {
        return retry(() -> store.get(key));
    }

    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        return retry(() -> store.get(key, range));
    }

    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        return retry(() -> store.getIfChanged(key, etag));
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        return retry(() -> store.head(key));
    }

    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        return retry(() -> store.put(key, data, metadata));
    }

    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        return store.putIfAbsent(key, data, metadata);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int maxKeys) {
        return retry(() -> store.list(prefix, startAfter, maxKeys));
    }

    @Override
    public void delete(String key) {
        retry(() -> {
            store.delete(key);
            return null;
        });
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        retry(() -> {
            store.deleteAll(keys);
            return null;
        });
    }

    @Override
    public String describe() {
        return store.describe();
    }
}
