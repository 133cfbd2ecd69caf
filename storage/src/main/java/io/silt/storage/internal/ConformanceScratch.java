package io.silt.storage.internal;

import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scratch prefix a conformance run writes under. Every key a check writes is made by {@link #key(String)}, which
 * remembers it, so that {@link #cleanUp(ObjectStore)} can delete it even when listing is what is broken.
 */
public final class ConformanceScratch {
    private final String prefix;
    private final Random random;
    private final Set<String> written = ConcurrentHashMap.newKeySet();

    /**
     * @param prefix the scratch prefix, ending with {@code /}
     * @param random the randomness for bodies, tokens and shuffles (seeded, so that a run can be repeated)
     */
    public ConformanceScratch(String prefix, Random random) {
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("scratch prefix must end with '/', was '" + prefix + "'");
        }
        this.prefix = prefix;
        this.random = random;
    }

    public String prefix() {
        return prefix;
    }

    /** The full key for {@code name} under the scratch prefix; remembered for cleanup. */
    public String key(String name) {
        String key = prefix + name;
        written.add(key);
        return key;
    }

    /** A full key under the prefix that is never written (for reads of missing objects); not remembered. */
    public String missingKey(String name) {
        return prefix + "missing/" + name;
    }

    /** The seeded randomness of this run. Not thread-safe in spirit: use it from the check's own thread. */
    public Random random() {
        return random;
    }

    /** A random printable token, e.g. for a write token in metadata. */
    public String token() {
        return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }

    /** {@code n} random bytes. */
    public byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The keys remembered so far. */
    public Set<String> writtenKeys() {
        return Collections.unmodifiableSet(written);
    }

    /**
     * Deletes everything under the prefix: the remembered keys and whatever a listing finds. Never throws.
     *
     * @return what went wrong (empty if the prefix is empty afterwards)
     */
    public List<String> cleanUp(ObjectStore store) {
        List<String> problems = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(written);
        try {
            for (ObjectInfo info : store.listAll(prefix)) {
                keys.add(info.key());
            }
        } catch (RuntimeException e) {
            problems.add("could not list " + prefix + ": " + Conformance.describe(e));
        }
        if (keys.isEmpty()) {
            return problems;
        }
        try {
            store.deleteAll(keys);
        } catch (RuntimeException bulk) {
            int failed = 0;
            String first = null;
            for (String key : keys) {
                try {
                    store.delete(key);
                } catch (RuntimeException e) {
                    failed++;
                    first = first == null ? key + ": " + Conformance.describe(e) : first;
                }
            }
            if (failed > 0) {
                problems.add("could not delete " + failed + " of " + keys.size() + " scratch objects (first: " + first
                        + ")");
            }
        }
        try {
            List<ObjectInfo> left = store.listAll(prefix);
            if (!left.isEmpty()) {
                problems.add(left.size() + " objects remain under " + prefix + " (first: " + left.get(0).key() + ")");
            }
        } catch (RuntimeException e) {
            if (problems.isEmpty()) {
                problems.add("could not list " + prefix + " after cleanup: " + Conformance.describe(e));
            }
        }
        return problems;
    }
}
