package io.silt.functions.compaction;

import io.silt.storage.ListPage;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes {@code Idempotency-Key} markers ({@code idempotency/…}, RFC 0009) that are older than twice the
 * deduplication window: past the window a marker no longer counts, and the margin covers clock skew between the store
 * and the service. Nothing else collects them on stores without lifecycle rules. A sweep costs one LIST per 1,000
 * markers plus the deletes, so the compaction service runs it at most once per {@link #interval(Duration)}.
 */
final class IdempotencySweep {
    static final String PREFIX = "idempotency/";

    private IdempotencySweep() {}

    /** How often a sweep is worth its LISTs: a 24th of the window (an hour for the default 24 h), at least a minute. */
    static Duration interval(Duration window) {
        Duration d = window.dividedBy(24);
        return d.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : d;
    }

    /** Deletes the markers last written before {@code now - 2 * window}; returns how many it deleted. */
    static int sweep(ObjectStore store, Instant now, Duration window) {
        Instant cutoff = now.minus(window.multipliedBy(2));
        List<String> old = new ArrayList<>();
        String after = null;
        int deleted = 0;
        do {
            ListPage page = store.list(PREFIX, after, 1000);
            for (ObjectInfo o : page.objects()) {
                if (o.lastModified().isBefore(cutoff)) {
                    old.add(o.key());
                }
                after = o.key();
            }
            if (!old.isEmpty()) {
                store.deleteAll(old);
                deleted += old.size();
                old.clear();
            }
            if (!page.truncated()) {
                break;
            }
        } while (after != null);
        return deleted;
    }
}
