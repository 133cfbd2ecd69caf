package io.silt.storage.log;

import io.silt.storage.CreateResult;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import io.silt.storage.StoreUnavailableException;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A log of numbered objects {@code prefix/{seq:020d}}, appended with create-only writes: the generic mechanism under
 * partition commit logs, topic versions, checkpoints and consumer-group logs. It knows nothing of what the records
 * mean.
 *
 * <p>Numbers start at 1 and have no gaps: a writer only tries {@code n + 1} after it has seen {@code n}, and an
 * attempt whose outcome is unknown is retried at the same number with the same bytes (DESIGN rule 4). Callers put
 * a unique write token in every body, so "the stored bytes equal mine" means "I won".
 */
public final class NumberedLog {
    private static final System.Logger LOG = System.getLogger(NumberedLog.class.getName());

    /** The answer to {@link #append}. */
    public sealed interface Appended {
        /** This writer's record is at the number. */
        record Won(long seq) implements Appended {}

        /** Another writer's record is at the number; here it is. */
        record Lost(long seq, ObjectData winner) implements Appended {}
    }

    private final ObjectStore store;
    private final String prefix;
    private final int unknownRetries;

    /**
     * @param prefix key prefix ending with {@code /}
     * @param unknownRetries how many times an attempt whose outcome stays unknown is repeated before giving up
     */
    public NumberedLog(ObjectStore store, String prefix, int unknownRetries) {
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must end with '/': " + prefix);
        }
        this.store = store;
        this.prefix = prefix;
        this.unknownRetries = unknownRetries;
    }

    public String prefix() {
        return prefix;
    }

    public ObjectStore store() {
        return store;
    }

    /** The key of record {@code seq}. */
    public String key(long seq) {
        return key(prefix, seq);
    }

    /** {@code prefix} followed by {@code seq} as 20 zero-padded digits. */
    public static String key(String prefix, long seq) {
        String digits = Long.toString(seq);
        char[] out = new char[prefix.length() + 20];
        prefix.getChars(0, prefix.length(), out, 0);
        int pad = 20 - digits.length();
        Arrays.fill(out, prefix.length(), prefix.length() + pad, '0');
        digits.getChars(0, digits.length(), out, prefix.length() + pad);
        return new String(out);
    }

    /** Reads record {@code seq}; empty if there is none (yet, or any more). */
    public Optional<ObjectData> read(long seq) {
        return store.get(key(seq));
    }

    /** Whether record {@code seq} exists; a HEAD, cheaper to transfer than a GET. */
    public boolean exists(long seq) {
        return store.head(key(seq)).isPresent();
    }

    /**
     * Tries to put {@code body} at {@code seq}.
     *
     * @throws CommitUnknownException if the outcome stayed unknown after the retry budget
     * @throws StaleLogViewException if the number was taken but its record is gone (collected behind the GC
     *     boundary): the caller's view of the log is too old; reload it
     */
    public Appended append(long seq, byte[] body) {
        String key = key(seq);
        RuntimeException lastCause = null;
        boolean mayHaveWritten = false; // an attempt's outcome was unknown: a later store error settles nothing
        for (int attempt = 0; attempt <= unknownRetries; attempt++) {
            Optional<ObjectData> stored;
            boolean ambiguous;
            try {
                CreateResult result = store.putIfAbsent(key, body, Map.of());
                if (result instanceof CreateResult.Created) {
                    return new Appended.Won(seq);
                }
                ambiguous = result instanceof CreateResult.Unknown;
                if (ambiguous) {
                    mayHaveWritten = true;
                    lastCause = ((CreateResult.Unknown) result).cause();
                    LOG.log(Level.DEBUG, () -> "outcome of create-only write to " + key + " unknown; reading back");
                }
                stored = store.get(key);
            } catch (StoreUnavailableException e) {
                if (!mayHaveWritten) {
                    throw e; // nothing of ours can be there: a plain failure
                }
                lastCause = e; // still unknown: retry the same number with the same bytes
                continue;
            }
            if (stored.isPresent()) {
                return Arrays.equals(stored.get().bytes(), body)
                        ? new Appended.Won(seq)
                        : new Appended.Lost(seq, stored.get());
            }
            if (!ambiguous) {
                throw new StaleLogViewException("record " + key + " exists (412) but reads as missing: it was "
                        + "collected behind the GC boundary; the caller's view of the log is stale");
            }
            // Unknown and not there (yet): the PUT may still land. Retry the same number with the same bytes.
        }
        throw new CommitUnknownException("could not learn whether the create-only write to " + key
                + " happened after " + (unknownRetries + 1) + " attempts; the record may appear later", lastCause);
    }

    /**
     * Finds the highest existing number at or above {@code knownExisting} (0 for "none known"): probes
     * {@code +1}, then doubles the step until a number is missing, then bisects. Costs about 2·log2(distance)
     * HEAD requests, and one when nothing is new.
     */
    public long findHead(long knownExisting) {
        long lo = knownExisting; // exists (or 0)
        long step = 1;
        long hi;
        while (true) {
            long probe = lo + step;
            if (exists(probe)) {
                lo = probe;
                step *= 2;
            } else {
                hi = probe;
                break;
            }
        }
        while (hi - lo > 1) { // lo exists, hi does not
            long mid = lo + (hi - lo) / 2;
            if (exists(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
