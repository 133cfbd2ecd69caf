package io.silt.storage;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Passes every call to another store: a base for decorators and test doubles that intercept a few calls. It does
 * not offer {@link SupportsCompareAndSwap}, whatever the delegate does.
 */
public abstract class ForwardingObjectStore implements ObjectStore {
    protected final ObjectStore delegate;

    protected ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<ObjectData> get(String key) {
        return delegate.get(key);
    }

    @Override
    public Optional<ObjectData> get(String key, ByteRange range) {
        return delegate.get(key, range);
    }

    @Override
    public ConditionalGet getIfChanged(String key, String etag) {
        return delegate.getIfChanged(key, etag);
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        return delegate.head(key);
    }

    @Override
    public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
        return delegate.put(key, data, metadata);
    }

    @Override
    public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
        return delegate.putIfAbsent(key, data, metadata);
    }

    @Override
    public ListPage list(String prefix, String startAfter, int maxKeys) {
        return delegate.list(prefix, startAfter, maxKeys);
    }

    @Override
    public void delete(String key) {
        delegate.delete(key);
    }

    @Override
    public void deleteAll(Collection<String> keys) {
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
