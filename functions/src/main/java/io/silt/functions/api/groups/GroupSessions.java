package io.silt.functions.api.groups;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.InvalidRequestException;
import io.silt.client.SiltClient;
import io.silt.client.TopicPartition;
import io.silt.functions.SiltRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The group members this service instance holds for REST clients ({@link GroupSession}), by member id. A session
 * lives while its client calls it: one not heard from within {@code silt.rest.session-timeout} (default 30 s, judged
 * by {@link SessionClock}) is closed by {@link #reap}, which leaves the group so its partitions move to the others.
 * All sessions leave when the service shuts down.
 *
 * <p>Sessions exist only in this process: behind several service instances, a client must reach the instance that
 * holds its member (sticky routing); behind Lambda, member routes are not useful (an instance is frozen between
 * invocations) and clients should use the SDK's own group protocol instead.
 */
@ApplicationScoped
public class GroupSessions {
    private static final Logger LOG = Logger.getLogger(GroupSessions.class);
    private static final SecureRandom IDS = new SecureRandom();

    private final SiltRuntime runtime;
    private final SessionClock clock;
    private final long timeoutNanos;
    private final Map<String, GroupSession> sessions = new ConcurrentHashMap<>();

    public GroupSessions(SiltRuntime runtime, SessionClock clock,
                         @ConfigProperty(name = "silt.rest.session-timeout", defaultValue = "30s") Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("silt.rest.session-timeout must be positive, not " + timeout);
        }
        this.runtime = runtime;
        this.clock = clock;
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * Joins {@code group} with a new member subscribed to {@code topics}.
     *
     * @throws io.silt.client.UnknownTopicException if a topic does not exist
     */
    GroupSession.State join(String group, List<String> topics, ConsumerConfig.OffsetReset reset) {
        if (topics == null || topics.isEmpty() || topics.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new InvalidRequestException("join needs \"topics\": a non-empty list of topic names");
        }
        SiltClient client = runtime.client();
        Consumer consumer = client.consumer(ConsumerConfig.defaults().withGroupId(group).withAutoCommit(false)
                .withAutoOffsetReset(reset));
        byte[] id = new byte[8];
        IDS.nextBytes(id);
        String memberId = "rest-" + HexFormat.of().formatHex(id);
        GroupSession session = new GroupSession(group, memberId, consumer, client.admin(), clock.nanoTime());
        try {
            // Fails with UnknownTopicException (404) for a topic that does not exist, before anything is written.
            consumer.endOffsets(topics.stream().distinct().map(t -> new TopicPartition(t, 0)).toList());
            consumer.subscribe(topics, session.listener());
            sessions.put(memberId, session);
            session.begin(clock.nanoTime());
            try {
                GroupSession.State state = session.join();
                LOG.infof("group '%s': member '%s' joined (topics %s, generation %d, partitions %s)", group, memberId,
                        topics, state.generation(), state.assignment());
                return state;
            } finally {
                session.end(clock.nanoTime());
            }
        } catch (RuntimeException e) {
            sessions.remove(memberId);
            session.close();
            throw e;
        }
    }

    /**
     * Runs {@code call} on the live session {@code member} of {@code group}, keeping the session alive.
     *
     * @return empty if there is no such live session
     */
    <T> Optional<T> with(String group, String member, Function<GroupSession, T> call) {
        GroupSession s = sessions.get(member);
        if (s == null || !s.group().equals(group)) {
            return Optional.empty();
        }
        s.begin(clock.nanoTime());
        try {
            return Optional.of(call.apply(s));
        } catch (GroupSession.SessionClosedException closed) {
            return Optional.empty();
        } finally {
            s.end(clock.nanoTime());
        }
    }

    /** Closes the member's session: it leaves the group. @return whether there was such a live session */
    boolean leave(String group, String member) {
        GroupSession s = sessions.get(member);
        if (s == null || !s.group().equals(group) || !sessions.remove(member, s)) {
            return false;
        }
        s.close();
        LOG.infof("group '%s': member '%s' left", group, member);
        return true;
    }

    /** Closes every session whose client has not called within the session timeout. Runs every second. */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void reap() {
        long now = clock.nanoTime();
        for (GroupSession s : new ArrayList<>(sessions.values())) {
            if (s.expired(now, timeoutNanos) && sessions.remove(s.memberId(), s)) {
                LOG.infof("group '%s': member '%s' sent nothing within the session timeout (%s); it leaves the group",
                        s.group(), s.memberId(), Duration.ofNanos(timeoutNanos));
                s.close();
            }
        }
    }

    /** Every member leaves its group before the service stops, so its partitions move at once. */
    void onStop(@Observes ShutdownEvent event) {
        for (GroupSession s : new ArrayList<>(sessions.values())) {
            if (sessions.remove(s.memberId(), s)) {
                s.close();
            }
        }
    }
}
