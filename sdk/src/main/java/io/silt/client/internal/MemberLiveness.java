package io.silt.client.internal;

import io.silt.storage.ConditionalGet;
import io.silt.storage.ObjectData;
import io.silt.storage.ObjectStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges the members a group member watches (its successor in the ring of member ids, RFC 0006) alive or dead by
 * their heartbeat objects, on the observer's own monotonic clock. Wall clocks of other machines are never compared.
 *
 * <p>Each look is one GET: a conditional GET ({@code If-None-Match}, answered 304 while the heartbeat is unchanged)
 * once the observer knows the heartbeat's ETag, a plain GET the first time. When a look finds a new ETag, the
 * heartbeat was written after the previous look was sent, so the member is credited as alive from the previous
 * look's time, but never from more than one check interval back (the observer may itself have paused). A member is
 * dead once {@code now - credit >= sessionTimeout}, or as soon as its heartbeat object is gone. A first look credits
 * the member from that moment: a new observer gives every member a full session.
 *
 * <p>Consequences, with check interval {@code c} and session {@code s} (the proofs are in RFC 0006): a member that
 * dies at T is judged dead by a watcher that looks every {@code c} no later than {@code T + s}; a member is judged
 * dead only after no new heartbeat was visible for at least {@code s - c}.
 */
final class MemberLiveness {
    /** What the observer knows of one member: {@code etag == null} means its heartbeat object is gone. */
    private record Seen(String etag, long creditNanos, long lastLookNanos) {
        boolean gone() {
            return etag == null;
        }
    }

    private final String membersPrefix;
    private final long sessionNanos;
    private final long checkNanos;
    private final Map<String, Seen> seen = new HashMap<>();

    MemberLiveness(String membersPrefix, long sessionNanos, long checkNanos) {
        this.membersPrefix = membersPrefix;
        this.sessionNanos = sessionNanos;
        this.checkNanos = checkNanos;
    }

    /** Forgets every member not in {@code watched}: a member watched again later starts over with a full session. */
    void retain(Set<String> watched) {
        seen.keySet().retainAll(watched);
    }

    /**
     * Looks at one member's heartbeat: one GET (304 when unchanged).
     *
     * @param nowNanos the observer's monotonic time just before the request is sent
     */
    void look(ObjectStore store, String member, long nowNanos) {
        String key = membersPrefix + member;
        Seen before = seen.get(member);
        if (before == null || before.gone()) {
            Optional<ObjectData> got = store.get(key);
            seen.put(member, new Seen(got.map(ObjectData::etag).orElse(null), nowNanos, nowNanos));
            return;
        }
        ConditionalGet answer = store.getIfChanged(key, before.etag());
        if (answer instanceof ConditionalGet.NotModified) {
            seen.put(member, new Seen(before.etag(), before.creditNanos(), nowNanos));
        } else if (answer instanceof ConditionalGet.Modified m) {
            long credit = Math.max(before.lastLookNanos(), nowNanos - checkNanos);
            seen.put(member, new Seen(m.data().etag(), Math.max(credit, before.creditNanos()), nowNanos));
        } else {
            seen.put(member, new Seen(null, before.creditNanos(), nowNanos));
        }
    }

    /** Whether a watched member is dead; a member never looked at is not judged (false). */
    boolean isDead(String member, long nowNanos) {
        Seen s = seen.get(member);
        return s != null && (s.gone() || nowNanos - s.creditNanos() >= sessionNanos);
    }

    /** When {@code member} will be dead unless a new heartbeat shows up; {@link Long#MAX_VALUE} if not watched. */
    long deadlineNanos(String member) {
        Seen s = seen.get(member);
        return s == null ? Long.MAX_VALUE : s.gone() ? Long.MIN_VALUE : s.creditNanos() + sessionNanos;
    }
}
