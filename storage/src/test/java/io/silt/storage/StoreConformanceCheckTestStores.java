package io.silt.storage;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Deliberately broken stores for {@link StoreConformanceCheckTest}, each wrapping an {@link InMemoryObjectStore}. */
final class StoreConformanceCheckTestStores {
    private StoreConformanceCheckTestStores() {}

    /** Forwards everything to an in-memory store; subclasses break one thing. It offers no If-Match. */
    abstract static class Forwarding extends ForwardingObjectStore {
        final InMemoryObjectStore inner;

        Forwarding() {
            this(new InMemoryObjectStore());
        }

        private Forwarding(InMemoryObjectStore inner) {
            super(inner);
            this.inner = inner;
        }

        @Override
        public String describe() {
            String name = getClass().getSimpleName();
            return name.isEmpty() ? "forwarding" : name;
        }
    }

    /** Ignores {@code If-None-Match: *}, as s3rver does: every putIfAbsent overwrites and answers Created. */
    static final class OverwritingCreate extends Forwarding {
        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            return new CreateResult.Created(inner.put(key, data, metadata));
        }
    }

    /**
     * On every third key raced over ({@code create-race/}), lets the first loser overwrite and "win" too, as S3Mock
     * does now and then.
     */
    static final class TwoWinnersSometimes extends Forwarding {
        private final Map<String, Integer> keyIndex = new ConcurrentHashMap<>();
        private final Set<String> secondWinner = ConcurrentHashMap.newKeySet();
        private final AtomicInteger keys = new AtomicInteger();

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            CreateResult r = inner.putIfAbsent(key, data, metadata);
            if (r.created() || !key.contains("/create-race/")) {
                return r;
            }
            int index = keyIndex.computeIfAbsent(key, k -> keys.incrementAndGet());
            if (index % 3 == 0 && secondWinner.add(key)) {
                return new CreateResult.Created(inner.put(key, data, metadata));
            }
            return r;
        }
    }

    /** Emulates If-Match as S3Proxy does: a HEAD, then a plain write, with a window between them. */
    static final class CheckThenWriteIfMatch extends Forwarding implements SupportsCompareAndSwap {
        @Override
        public SwapResult putIfMatch(String key, byte[] data, String expectedEtag, Map<String, String> metadata) {
            Optional<ObjectInfo> current = inner.head(key);
            if (current.isEmpty()) {
                return SwapResult.MISSING;
            }
            if (!current.get().etag().equals(expectedEtag)) {
                return SwapResult.STALE;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inner.put(key, data, metadata);
            return SwapResult.SWAPPED;
        }
    }

    /** Ignores the Range header: a ranged GET returns the whole object. */
    static final class RangeIgnoring extends Forwarding {
        @Override
        public Optional<ObjectData> get(String key, ByteRange range) {
            return inner.get(key);
        }
    }

    /** Never answers 304: a conditional GET always returns the object. */
    static final class NeverNotModified extends Forwarding {
        @Override
        public ConditionalGet getIfChanged(String key, String etag) {
            return inner.get(key).<ConditionalGet>map(ConditionalGet.Modified::new).orElse(ConditionalGet.NOT_FOUND);
        }
    }

    /** Ignores startAfter, so paging never advances past the first page. */
    static final class StartAfterIgnoring extends Forwarding {
        @Override
        public ListPage list(String prefix, String startAfter, int maxKeys) {
            return inner.list(prefix, null, maxKeys);
        }
    }

    /** Listing throws; everything else works. */
    static final class ListingBroken extends Forwarding {
        @Override
        public ListPage list(String prefix, String startAfter, int maxKeys) {
            throw new StoreUnavailableException(StoreUnavailableException.Reason.SERVER_ERROR,
                    "ListObjectsV2 answered 500 InternalError");
        }
    }

    /** Answers Unknown (a lost response) to the winner of each race, after writing. */
    static final class WinnerAnswersUnknown extends Forwarding {
        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            CreateResult r = inner.putIfAbsent(key, data, metadata);
            if (r.created() && key.contains("/create-race/")) {
                return new CreateResult.Unknown(new StoreUnavailableException(StoreUnavailableException.Reason.IO,
                        "server failed to respond"));
            }
            return r;
        }
    }

    /** Answers Unknown (a broken connection) to the first loser of each race, which did not write. */
    static final class LoserAnswersUnknown extends Forwarding {
        private final Set<String> answered = ConcurrentHashMap.newKeySet();

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            CreateResult r = inner.putIfAbsent(key, data, metadata);
            if (!r.created() && key.contains("/create-race/") && answered.add(key)) {
                return new CreateResult.Unknown(new StoreUnavailableException(StoreUnavailableException.Reason.IO,
                        "Broken pipe"));
            }
            return r;
        }
    }

    /** The first loser of each race overwrites the winner and answers Unknown: two winners in disguise. */
    static final class UnknownOverwrites extends Forwarding {
        private final Set<String> answered = ConcurrentHashMap.newKeySet();

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            CreateResult r = inner.putIfAbsent(key, data, metadata);
            if (!r.created() && key.contains("/create-race/") && answered.add(key)) {
                inner.put(key, data, metadata);
                return new CreateResult.Unknown(new StoreUnavailableException(StoreUnavailableException.Reason.IO,
                        "server failed to respond"));
            }
            return r;
        }
    }

    /** Lists in UTF-16 order (Java's String order), as S3Proxy does for characters beyond U+FFFF. */
    static final class Utf16Listing extends Forwarding {
        @Override
        public ListPage list(String prefix, String startAfter, int maxKeys) {
            java.util.List<ObjectInfo> all = new java.util.ArrayList<>(inner.listAll(prefix));
            all.sort(java.util.Comparator.comparing(ObjectInfo::key));
            java.util.List<ObjectInfo> page = all.stream()
                    .filter(i -> startAfter == null || i.key().compareTo(startAfter) > 0).toList();
            return page.size() > maxKeys ? new ListPage(page.subList(0, maxKeys), true) : new ListPage(page, false);
        }
    }

    /** The first plain put and the first list fail with a dropped connection, as after an early 412 on S3Proxy. */
    static final class DropsTheFirstConnection extends Forwarding {
        private final AtomicInteger puts = new AtomicInteger();
        private final AtomicInteger lists = new AtomicInteger();

        @Override
        public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
            if (puts.incrementAndGet() == 1) {
                throw new StoreUnavailableException(StoreUnavailableException.Reason.IO, "Broken pipe");
            }
            return inner.put(key, data, metadata);
        }

        @Override
        public ListPage list(String prefix, String startAfter, int maxKeys) {
            if (lists.incrementAndGet() == 1) {
                throw new StoreUnavailableException(StoreUnavailableException.Reason.IO, "Broken pipe");
            }
            return inner.list(prefix, startAfter, maxKeys);
        }
    }

    /** One writer of the second race round never answers (until interrupted). */
    static final class HangsInTheSecondRound extends Forwarding {
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            if (key.endsWith("/create-race/00000000000000000001") && calls.incrementAndGet() == 1) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreUnavailableException(StoreUnavailableException.Reason.TIMEOUT, "interrupted");
                }
            }
            return inner.putIfAbsent(key, data, metadata);
        }
    }

    /** Denies every request, as S3 does with wrong credentials. */
    static final class AccessDenied implements ObjectStore {
        private static StoreAccessDeniedException denied() {
            return new StoreAccessDeniedException("s3://bucket: Access Denied (403): check the credentials");
        }

        @Override
        public Optional<ObjectData> get(String key) {
            throw denied();
        }

        @Override
        public Optional<ObjectData> get(String key, ByteRange range) {
            throw denied();
        }

        @Override
        public ConditionalGet getIfChanged(String key, String etag) {
            throw denied();
        }

        @Override
        public Optional<ObjectInfo> head(String key) {
            throw denied();
        }

        @Override
        public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
            throw denied();
        }

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            throw denied();
        }

        @Override
        public ListPage list(String prefix, String startAfter, int maxKeys) {
            throw denied();
        }

        @Override
        public void delete(String key) {
            throw denied();
        }

        @Override
        public String describe() {
            return "s3://bucket";
        }
    }
}
