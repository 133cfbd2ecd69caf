package io.silt.functions.sdk;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.silt.client.internal.http.HttpStateStore;
import io.silt.storage.ByteRange;
import io.silt.storage.ConditionalGet;
import io.silt.storage.CreateResult;
import io.silt.storage.ListPage;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectKeys;
import io.silt.storage.ObjectStore;
import io.silt.storage.ObjectStoreContract;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The store contract, end to end: {@link HttpStateStore} through this service's {@code /v1/state} routes to its
 * bucket. The routes serve only keys under {@code groups/} and {@code queues/}, so each test runs under a fresh
 * {@code groups/contract-N/} prefix ({@link Prefixed}). One contract test cannot hold under a prefix and is skipped
 * ({@link SkipUnderPrefix}): {@code longestValidKeyWorks} writes a key of exactly 1024 bytes, which the prefix makes
 * too long for the bucket.
 */
@QuarkusTest
@ExtendWith(HttpStateStoreContractTest.SkipUnderPrefix.class)
class HttpStateStoreContractTest extends ObjectStoreContract {
    private static final AtomicInteger RUNS = new AtomicInteger();

    @TestHTTPResource("/")
    URL base;

    @Override
    protected ObjectStore newStore() {
        return new Prefixed(new HttpStateStore(base.toString(), null),
                "groups/contract-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet() + "/");
    }

    /** Skips the contract test that a key prefix makes impossible (see the class comment). */
    static final class SkipUnderPrefix implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getTestMethod().map(Method::getName).filter("longestValidKeyWorks"::equals).isPresent()
                    ? ConditionEvaluationResult.disabled("a 1024-byte key is too long under the groups/ prefix "
                    + "the state routes require")
                    : ConditionEvaluationResult.enabled("runs under a prefix");
        }
    }

    /**
     * A store whose keys live under {@code prefix} of another. Keys are checked as given first, so invalid keys fail
     * the way the contract expects (with the given key's length, not the prefixed one's).
     */
    static final class Prefixed implements ObjectStore {
        private final ObjectStore store;
        private final String prefix;

        Prefixed(ObjectStore store, String prefix) {
            this.store = store;
            this.prefix = prefix;
        }

        private String in(String key) {
            return prefix + ObjectKeys.validate(key);
        }

        private ObjectInfo out(ObjectInfo i) {
            return new ObjectInfo(i.key().substring(prefix.length()), i.size(), i.etag(), i.lastModified(),
                    i.metadata());
        }

        private ObjectData out(ObjectData d) {
            return new ObjectData(out(d.info()), d.offset(), d.bytes());
        }

        @Override
        public Optional<ObjectData> get(String key) {
            return store.get(in(key)).map(this::out);
        }

        @Override
        public Optional<ObjectData> get(String key, ByteRange range) {
            return store.get(in(key), range).map(this::out);
        }

        @Override
        public ConditionalGet getIfChanged(String key, String etag) {
            ConditionalGet g = store.getIfChanged(in(key), etag);
            return g instanceof ConditionalGet.Modified m ? new ConditionalGet.Modified(out(m.data())) : g;
        }

        @Override
        public Optional<ObjectInfo> head(String key) {
            return store.head(in(key)).map(this::out);
        }

        @Override
        public ObjectInfo put(String key, byte[] data, Map<String, String> metadata) {
            return out(store.put(in(key), data, metadata));
        }

        @Override
        public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
            CreateResult r = store.putIfAbsent(in(key), data, metadata);
            return r instanceof CreateResult.Created c ? new CreateResult.Created(out(c.info())) : r;
        }

        @Override
        public ListPage list(String listPrefix, String startAfter, int maxKeys) {
            ObjectKeys.validatePrefix(listPrefix);
            ListPage page = store.list(prefix + listPrefix, startAfter == null ? null : prefix + startAfter, maxKeys);
            return new ListPage(page.objects().stream().map(this::out).toList(), page.truncated());
        }

        @Override
        public void delete(String key) {
            store.delete(in(key));
        }

        @Override
        public String describe() {
            return store.describe() + "/" + prefix;
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
