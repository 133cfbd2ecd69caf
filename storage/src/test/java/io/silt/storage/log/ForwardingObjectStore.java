package io.silt.storage.log;

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

/** Passes every call to another store; tests override the calls they want to intercept. */
abstract class ForwardingObjectStore implements ObjectStore {
    protected final ObjectStore delegate;

    ForwardingObjectStore(ObjectStore delegate) {
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
