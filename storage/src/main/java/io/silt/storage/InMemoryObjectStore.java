package io.silt.storage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A strict in-memory store for tests and {@code mem:} URIs: it validates keys, ranges and metadata exactly as the
 * real stores do and is held to the same contract tests. Writes are atomic; {@link #putIfMatch} is atomic too
 * (unlike S3Proxy's), so do not use this store to judge what a real bucket does under a compare-and-swap race.
 */
public final class InMemoryObjectStore implements ObjectStore, SupportsCompareAndSwap {
    private record Entry(byte[] data, ObjectInfo info) {}

    private final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>(ObjectKeys.ORDER);
    private final Clock clock;
    private final String name;
    private final AtomicLong versions = new AtomicLong();

    public InMemoryObjectStore() {
        this(Clock.systemUTC());
    }

    /** @param clock the clock that stamps {@link ObjectInfo#lastModified()}; tests advance it. */
    public InMemoryObjectStore(Clock clock) {
        this(clock, "mem:");
    }

    public InMemoryObjectStore(Clock clock, String name) {
        this.clock = clock;
        this.name = name;
    }

    @Override
    public Optional<ObjectData> get(String key) {
        ObjectKeys.validate(key);
        Entry e = objects.get(key);
        return e == null ? Optional.empty() : Optional.of(new ObjectData(e.info, 0, e.data.clone()));
    }

    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        ObjectKeys.validate(key);
        Entry e = objects.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (e.data.length == 0) {
            return Optional.of(new ObjectData(e.info, 0, new byte[0]));
        }
        long[] bounds = range.resolve(key, e.data.length);
        byte[] part = Arrays.copyOfRange(e.data, (int) bounds[0], (int) bounds[1]);
        return Optional.of(new ObjectData(e.info, bounds[0], part));
    }

    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        ObjectKeys.validate(key);
        Entry e = objects.get(key);
        if (e == null) {
            return ConditionalGet.NOT_FOUND;
        }
        if (e.info.etag().equals(etag)) {
            return ConditionalGet.NOT_MODIFIED;
        }
        return new ConditionalGet.Modified(new ObjectData(e.info, 0, e.data.clone()));
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        ObjectKeys.validate(key);
        Entry e = objects.get(key);
        return e == null ? Optional.empty() : Optional.of(e.info);
    }

    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        Entry e = entry(key, data, metadata);
        objects.put(key, e);
        return e.info;
    }

    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        Entry e = entry(key, data, metadata);
        return objects.putIfAbsent(key, e) == null ? new CreateResult.Created(e.info) : CreateResult.ALREADY_EXISTS;
    }

    @Override
    public SwapResult putIfMatch(String key, byte[] data, String expectedEtag, Map<String, String> metadata) {
        Entry e = entry(key, data, metadata);
        while (true) {
            Entry current = objects.get(key);
            if (current == null) {
                return SwapResult.MISSING;
            }
            if (!current.info.etag().equals(expectedEtag)) {
                return SwapResult.STALE;
            }
            if (objects.replace(key, current, e)) {
                return SwapResult.SWAPPED;
            }
        }
    }

    @Override
    public ListPage list(String prefix, String startAfter, int maxKeys) {
        String p = ObjectKeys.validatePrefix(prefix);
        if (maxKeys < 1 || maxKeys > ListPage.MAX_KEYS) {
            throw new IllegalArgumentException("maxKeys must be 1 to " + ListPage.MAX_KEYS + ", was " + maxKeys);
        }
        var tail = (startAfter == null || ObjectKeys.compareUtf8(startAfter, p) < 0)
                ? objects.tailMap(p, true)
                : objects.tailMap(startAfter, false);
        List<ObjectInfo> page = new ArrayList<>();
        for (var entry : tail.entrySet()) {
            if (!entry.getKey().startsWith(p)) {
                break;
            }
            if (page.size() == maxKeys) {
                return new ListPage(page, true);
            }
            ObjectInfo i = entry.getValue().info;
            page.add(new ObjectInfo(i.key(), i.size(), i.etag(), i.lastModified(), Map.of()));
        }
        return new ListPage(page, false);
    }

    @Override
    public void delete(String key) {
        ObjectKeys.validate(key);
        objects.remove(key);
    }

    @Override
    public String describe() {
        return name;
    }

    /** The number of objects held; for tests. */
    public int size() {
        return objects.size();
    }

    private Entry entry(String key, byte[] data, Map<String, String> metadata) {
        ObjectKeys.validate(key);
        ObjectKeys.validateMetadata(metadata);
        byte[] copy = data.clone();
        String etag = "\"" + Etags.md5Hex(copy) + "-" + versions.incrementAndGet() + "\"";
        return new Entry(copy, new ObjectInfo(key, copy.length, etag, clock.instant(), metadata));
    }
}
