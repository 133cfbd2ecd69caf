package io.silt.storage;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts the requests sent to another store, by the kinds S3 bills, plus the bytes written and read; the benchmarks'
 * cost model reads {@link #counts()}. Thread-safe.
 *
 * <p>A request is counted whether it succeeds or fails, except when the delegate rejects it before sending
 * ({@link InvalidKeyException}, {@link IllegalArgumentException}). Put it <em>under</em> a
 * {@link RetryingObjectStore} to count every retry, or above one to count calls. Create instances with
 * {@link #wrap}: the result implements {@link SupportsCompareAndSwap} exactly when the delegate does.
 */
public class CountingObjectStore implements ObjectStore {
    /** S3 DeleteObjects takes at most this many keys per request. */
    public static final int KEYS_PER_BULK_DELETE = 1000;

    private final ObjectStore delegate;
    private final LongAdder puts = new LongAdder();
    private final LongAdder gets = new LongAdder();
    private final LongAdder getsNotFound = new LongAdder();
    private final LongAdder getsNotModified = new LongAdder();
    private final LongAdder heads = new LongAdder();
    private final LongAdder lists = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();

    private CountingObjectStore(ObjectStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Wraps {@code delegate}; the result implements {@link SupportsCompareAndSwap} if and only if it does. */
    public static CountingObjectStore wrap(ObjectStore delegate) {
        return delegate instanceof SupportsCompareAndSwap
                ? new WithCompareAndSwap(delegate)
                : new CountingObjectStore(delegate);
    }

    /** A consistent-enough snapshot (each counter is read once; concurrent requests may land in either side). */
    public RequestCounts counts() {
        return new RequestCounts(puts.sum(), gets.sum(), getsNotFound.sum(), getsNotModified.sum(), heads.sum(),
                lists.sum(), deletes.sum(), errors.sum(), bytesWritten.sum(), bytesRead.sum());
    }

    public ObjectStore delegate() {
        return delegate;
    }

    /** Counts one GET (and a 404, and the bytes read); throws what the delegate throws. */
    @Override
    public Optional<ObjectData> get(String key) {
        return read(request(gets, () -> delegate.get(key)));
    }

    /** Counts one GET (and a 404, and the bytes read); throws what the delegate throws. */
    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        return read(request(gets, () -> delegate.get(key, range)));
    }

    /** Counts one GET (and a 304 or 404, and the bytes read); throws what the delegate throws. */
    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        ConditionalGet answer = request(gets, () -> delegate.getIfChanged(key, etag));
        if (answer instanceof ConditionalGet.Modified modified) {
            bytesRead.add(modified.data().bytes().length);
        } else if (answer instanceof ConditionalGet.NotModified) {
            getsNotModified.increment();
        } else {
            getsNotFound.increment();
        }
        return answer;
    }

    /** Counts one HEAD; throws what the delegate throws. */
    @Override
    public Optional<ObjectInfo> head(String key) {
        return request(heads, () -> delegate.head(key));
    }

    /** Counts one PUT and its bytes; throws what the delegate throws. */
    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        return putRequest(data, () -> delegate.put(key, data, metadata));
    }

    /** Counts one PUT and its bytes, whatever the answer; throws what the delegate throws. */
    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        return putRequest(data, () -> delegate.putIfAbsent(key, data, metadata));
    }

    /** Counts one LIST; throws what the delegate throws. */
    @Override
    public ListPage list(String prefix, String startAfter, int maxKeys) {
        return request(lists, () -> delegate.list(prefix, startAfter, maxKeys));
    }

    /** Counts one DELETE; throws what the delegate throws. */
    @Override
    public void delete(String key) {
        request(deletes, () -> {
            delegate.delete(key);
            return null;
        });
    }

    /** Counts one DELETE per {@value #KEYS_PER_BULK_DELETE} keys (none for no keys); throws what the delegate throws. */
    @Override
    public void deleteAll(Collection<String> keys) {
        long requests = (keys.size() + KEYS_PER_BULK_DELETE - 1) / KEYS_PER_BULK_DELETE;
        try {
            delegate.deleteAll(keys);
        } catch (InvalidKeyException | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            errors.increment();
            throw e;
        } finally {
            deletes.add(requests);
        }
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Runs one PUT request, counting it and its body unless it was rejected before being sent. */
    <T> T putRequest(byte[] body, Supplier<T> call) {
        return request(puts, body.length, call);
    }

    private <T> T request(LongAdder counter, Supplier<T> call) {
        return request(counter, 0, call);
    }

    /** Runs one request, counting it in {@code counter} unless it was rejected before being sent. */
    private <T> T request(LongAdder counter, long bytesSent, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (InvalidKeyException | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            counted(counter, bytesSent);
            errors.increment();
            throw e;
        }
        counted(counter, bytesSent);
        return result;
    }

    private void counted(LongAdder counter, long bytesSent) {
        counter.increment();
        bytesWritten.add(bytesSent);
    }

    private Optional<ObjectData> read(Optional<ObjectData> found) {
        found.ifPresentOrElse(d -> bytesRead.add(d.bytes().length), getsNotFound::increment);
        return found;
    }

    /** The variant for delegates that support {@code If-Match}; chosen by {@link #wrap}. */
    private static final class WithCompareAndSwap extends CountingObjectStore implements SupportsCompareAndSwap {
        private final SupportsCompareAndSwap cas;

        private WithCompareAndSwap(ObjectStore delegate) {
            super(delegate);
            this.cas = (SupportsCompareAndSwap) delegate;
        }

        /** Counts one PUT and its bytes; throws what the delegate throws. */
        @Override
        public SwapResult putIfMatch(String key, byte[] data, String expectedEtag, Map<String, String> metadata) {
            return putRequest(data, () -> cas.putIfMatch(key, data, expectedEtag, metadata));
        }
    }
}
