package io.silt.bench;

import io.silt.storage.ByteRange;
import io.silt.storage.ConditionalGet;
import io.silt.storage.CreateResult;
import io.silt.storage.ListPage;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts requests by kind <em>and</em> by the area of the bucket their key is in: {@code data} (partition logs,
 * {@code data/...}), {@code group} ({@code groups/...}), {@code topic} ({@code topics/...}) or {@code other}. Sits
 * under a {@link io.silt.storage.CountingObjectStore}, which gives the totals; this one says where they went (the data
 * path or the group protocol). A bulk delete counts one per key here. Does not pass on compare-and-swap (used over
 * the filesystem store, which has none).
 */
final class AreaCountingStore implements ObjectStore {
    static final String PUT = "PUT";
    static final String GET = "GET";
    static final String HEAD = "HEAD";
    static final String LIST = "LIST";
    static final String DELETE = "DELETE";

    private final ObjectStore delegate;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    AreaCountingStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    static String area(String key) {
        if (key.startsWith("data/")) {
            return "data";
        }
        if (key.startsWith("groups/")) {
            return "group";
        }
        if (key.startsWith("topics/")) {
            return "topic";
        }
        return "other";
    }

    private void count(String kind, String key) {
        counts.computeIfAbsent(area(key) + " " + kind, k -> new LongAdder()).increment();
    }

    /** A snapshot: {@code "area KIND"} to count, sorted. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** {@code later - earlier}, dropping zeros. */
    static Map<String, Long> minus(Map<String, Long> later, Map<String, Long> earlier) {
        Map<String, Long> out = new TreeMap<>();
        later.forEach((k, v) -> {
            long d = v - earlier.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    @Override
    public Optional<ObjectData> get(String key) {
        count(GET, key);
        return delegate.get(key);
    }

    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        count(GET, key);
        return delegate.get(key, range);
    }

    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        count(GET, key);
        return delegate.getIfChanged(key, etag);
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        count(HEAD, key);
        return delegate.head(key);
    }

    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        count(PUT, key);
        return delegate.put(key, data, metadata);
    }

    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        count(PUT, key);
        return delegate.putIfAbsent(key, data, metadata);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int maxKeys) {
        count(LIST, prefix == null ? "" : prefix);
        return delegate.list(prefix, startAfter, maxKeys);
    }

    @Override
    public void delete(String key) {
        count(DELETE, key);
        delegate.delete(key);
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        for (String k : keys) {
            count(DELETE, k);
        }
        delegate.deleteAll(keys);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
