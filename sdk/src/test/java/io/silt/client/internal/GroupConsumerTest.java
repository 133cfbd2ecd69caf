package io.silt.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.client.CommitFailedException;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.TopicPartition;
import io.silt.storage.ObjectData;
import io.silt.storage.log.NumberedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import io.silt.client.TestTransports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Consumer groups on a manual clock: sharing, failover, slow members, zombies. The functions module runs it through
 * the Silt service ({@link #transports()}): the group protocol then runs on the service's state routes, judged by
 * the test's clock as here.
 */
public class GroupConsumerTest {
    private static final String TOPIC = "orders";
    private static final Duration STEP = Duration.ofMillis(100);
    private static final ConsumerConfig DEFAULTS = ConsumerConfig.defaults();
    /** The failover bound of the default configuration: sessionTimeout + heartbeatInterval / 3. */
    private static final Duration FAILOVER_BOUND = DEFAULTS.failoverBound();

    private GroupFixture f;

    /** Where the consumers run: directly on the fixture's store unless overridden. */
    protected TestTransports transports() {
        return TestTransports.DIRECT;
    }

    /** The store the group runs on: in memory here; {@link GroupConsumerFileSystemTest} uses the filesystem. */
    GroupFixture newFixture() {
        return new GroupFixture(transports());
    }

    @BeforeEach
    void open() {
        f = newFixture();
    }

    @AfterEach
    void closeFixture() {
        f.close();
    }
    private final Map<Consumer, List<ConsumerRecord>> seen = new LinkedHashMap<>();

    private void rounds(int n, List<Consumer> live) {
        for (int i = 0; i < n; i++) {
            for (Consumer c : live) {
                seen.computeIfAbsent(c, k -> new ArrayList<>()).addAll(c.poll(Duration.ZERO));
            }
            f.advance(STEP);
        }
    }

    @Test
    void threeMembersShareSixPartitionsAndSurvivorsTakeOverADeadOneWithoutSkipping() {
        f.topic(TOPIC, 6);
        for (int p = 0; p < 6; p++) {
            f.produce(TOPIC, p, 10);
        }
        Consumer c1 = f.consumer(GroupFixture.config("g"));
        Consumer c2 = f.consumer(GroupFixture.config("g"));
        Consumer c3 = f.consumer(GroupFixture.config("g"));
        List.of(c1, c2, c3).forEach(c -> c.subscribe(List.of(TOPIC)));
        rounds(200, List.of(c1, c2, c3));
        assertThat(List.of(c1, c2, c3)).allSatisfy(c -> assertThat(c.assignment()).hasSize(2));
        Set<TopicPartition> union = new HashSet<>();
        List.of(c1, c2, c3).forEach(c -> union.addAll(c.assignment()));
        assertThat(union).hasSize(6);

        for (int p = 0; p < 6; p++) {
            f.produce(TOPIC, p, 10);
        }
        rounds(5, List.of(c1, c2, c3));
        Set<TopicPartition> deadOnes = c3.assignment();
        for (TopicPartition tp : deadOnes) {
            f.produce(TOPIC, tp.partition(), 5); // c3's uncommitted tail: it may read these and die before committing
        }
        rounds(2, List.of(c1, c2, c3));
        // c3 is killed: it stops polling and its background thread stops heartbeating; it never leaves.
        f.freeze(c3, true);
        long killedAt = f.clock.nanoTime();
        GroupState atDeath = new GroupLog(f.state(), "g", new SplittableRandom(1)).load();
        long tookOverAt = -1;
        for (int i = 0; i < 300 && tookOverAt < 0; i++) {
            rounds(1, List.of(c1, c2));
            Set<TopicPartition> both = new HashSet<>(c1.assignment());
            both.addAll(c2.assignment());
            if (both.size() == 6) {
                tookOverAt = f.clock.nanoTime();
            }
        }
        assertThat(tookOverAt).as("survivors took over").isPositive();
        Duration rebalance = Duration.ofNanos(tookOverAt - killedAt);
        System.out.println("rebalance after a member died took " + rebalance + " (simulated)");
        // Bound (RFC 0006): session timeout + liveness check interval, plus the test's poll step; 8 s + 1 s with
        // the defaults. The worst case over the moment of death is measured in failoverIsBoundedWhateverTheMoment...
        assertThat(rebalance).isLessThanOrEqualTo(FAILOVER_BOUND.plus(STEP));
        assertThat(c1.assignment().size()).isEqualTo(3);
        assertThat(c2.assignment().size()).isEqualTo(3);

        for (int p = 0; p < 6; p++) {
            f.produce(TOPIC, p, 10);
        }
        rounds(50, List.of(c1, c2));
        c1.close();
        c2.close();

        // Every record consumed at least once; duplicates only in the dead member's uncommitted tail.
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (int p = 0; p < 6; p++) {
            ends.put(new TopicPartition(TOPIC, p), f.transport.offsets(TOPIC, p)[1]);
        }
        Map<String, Integer> counts = new HashMap<>();
        seen.values().forEach(l -> l.forEach(r -> counts.merge(r.partition() + "@" + r.offset(), 1, Integer::sum)));
        ends.forEach((tp, end) -> {
            for (long o = 0; o < end; o++) {
                assertThat(counts.get(tp.partition() + "@" + o)).as("record %s@%d", tp, o).isNotNull();
            }
        });
        Set<Integer> dead = new HashSet<>();
        deadOnes.forEach(tp -> dead.add(tp.partition()));
        counts.forEach((k, n) -> {
            if (n > 1) {
                int p = Integer.parseInt(k.substring(0, k.indexOf('@')));
                long offset = Long.parseLong(k.substring(k.indexOf('@') + 1));
                assertThat(dead).as("duplicate %s outside the dead member's partitions", k).contains(p);
                GroupState.Committed c = atDeath.committed().get(new TopicPartition(TOPIC, p));
                assertThat(offset).as("duplicate %s before the dead member's last commit", k)
                        .isGreaterThanOrEqualTo(c == null ? 0 : c.offset());
            }
        });
        long dupes = counts.values().stream().filter(n -> n > 1).count();
        System.out.println("records consumed twice (the dead member's uncommitted tail): " + dupes);
        assertCommitsNeverGoBack("g");
        // Final commits are the end offsets (auto-commit on close).
        GroupState s = new GroupLog(f.state(), "g", new SplittableRandom(1)).load();
        ends.forEach((tp, end) -> assertThat(s.committed().get(tp).offset()).isEqualTo(end));
        assertThat(s.generation().members()).isEmpty();
    }

    /**
     * The worst case of failover with the default configuration: a member is killed at each 100 ms step of one
     * heartbeat interval (so once right after its heartbeat, which is the worst moment), and every time the
     * survivors must own all partitions within sessionTimeout + heartbeatInterval / 3 (≤ 10 s, the requirement).
     */
    @Test
    void failoverIsBoundedWhateverTheMomentOfDeath() {
        assertThat(FAILOVER_BOUND).isEqualTo(Duration.ofSeconds(9)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        long steps = DEFAULTS.heartbeatInterval().dividedBy(STEP);
        Duration worst = Duration.ZERO;
        Duration best = Duration.ofDays(1);
        for (int phase = 0; phase < steps; phase++) {
            Duration took = killOneOfThreeAndMeasure(phase);
            worst = took.compareTo(worst) > 0 ? took : worst;
            best = took.compareTo(best) < 0 ? took : best;
        }
        System.out.println("failover with the defaults (heartbeat " + DEFAULTS.heartbeatInterval() + ", session "
                + DEFAULTS.sessionTimeout() + ", check " + DEFAULTS.livenessCheckInterval() + "), over " + steps
                + " moments of death: best " + best + ", worst " + worst + " (bound " + FAILOVER_BOUND + ")");
        // The test polls every STEP and notes the time after the step, so its resolution is one step.
        assertThat(worst).isLessThanOrEqualTo(FAILOVER_BOUND.plus(STEP)).isLessThanOrEqualTo(Duration.ofSeconds(10));
        // The survivors never drop the dead member before its session has run out since its last heartbeat.
        assertThat(best).isGreaterThanOrEqualTo(DEFAULTS.sessionTimeout().minus(DEFAULTS.heartbeatInterval()));
    }

    private Duration killOneOfThreeAndMeasure(int phaseSteps) {
        try (GroupFixture g = newFixture()) {
            g.topic(TOPIC, 6);
            List<Consumer> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Consumer c = g.consumer(GroupFixture.config("g"));
                c.subscribe(List.of(TOPIC));
                all.add(c);
            }
            pollAll(g, all, 100 + phaseSteps);
            assertThat(all).allSatisfy(c -> assertThat(c.assignment()).hasSize(2));
            List<Consumer> survivors = all.subList(0, 2);
            g.freeze(all.get(2), true); // the whole process dies: no poll, no background heartbeat
            long killedAt = g.clock.nanoTime();
            for (int i = 0; i < 300; i++) {
                pollAll(g, survivors, 1);
                if (survivors.get(0).assignment().size() + survivors.get(1).assignment().size() == 6) {
                    return Duration.ofNanos(g.clock.nanoTime() - killedAt);
                }
            }
            throw new AssertionError("the survivors did not take over within 30 s (phase " + phaseSteps + ")");
        }
    }

    private static void pollAll(GroupFixture g, List<Consumer> consumers, int rounds) {
        for (int i = 0; i < rounds; i++) {
            consumers.forEach(c -> c.poll(Duration.ZERO));
            g.advance(STEP);
        }
    }

    /**
     * A member polling every 3.9 s (the old limit of sessionTimeout - heartbeatInterval - livenessCheckInterval, when
     * heartbeats were sent from poll) is of course not dropped either.
     */
    @Test
    void aSlowButLiveMemberIsNotDropped() {
        f.topic(TOPIC, 4);
        Consumer fast = f.consumer(GroupFixture.config("slow"));
        Consumer slow = f.consumer(GroupFixture.config("slow"));
        fast.subscribe(List.of(TOPIC));
        slow.subscribe(List.of(TOPIC));
        pollAll(f, List.of(fast, slow), 50);
        assertThat(fast.assignment()).hasSize(2);
        assertThat(slow.assignment()).hasSize(2);
        long generation = new GroupLog(f.state(), "slow", new SplittableRandom(1)).load().generation().generation();
        Duration maxGap = DEFAULTS.sessionTimeout().minus(DEFAULTS.heartbeatInterval())
                .minus(DEFAULTS.livenessCheckInterval()).minus(STEP);
        long gapSteps = maxGap.dividedBy(STEP);
        for (int i = 0; i < 1200; i++) {
            fast.poll(Duration.ZERO);
            if (i % gapSteps == 0) {
                slow.poll(Duration.ZERO);
            }
            f.advance(STEP);
        }
        assertThat(new GroupLog(f.state(), "slow", new SplittableRandom(1)).load().generation().generation())
                .as("no rebalance while the slow member polls every %s", maxGap).isEqualTo(generation);
        assertThat(slow.assignment()).hasSize(2);
        fast.close();
        slow.close();
    }

    /** The heartbeat counter a member last wrote in its heartbeat object. */
    private long beats(String group, Consumer c) {
        String id = ((ConsumerImpl) c).memberId().orElseThrow();
        String body = new String(f.state().get("groups/" + group + "/members/" + id).orElseThrow().bytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        return Long.parseLong(body.split(" ")[1]);
    }

    private long generation(String group) {
        return new GroupLog(f.state(), group, new SplittableRandom(1)).load().generation().generation();
    }

    /**
     * Heartbeats run on the consumer's background thread: a member that spends 60 s processing between two polls
     * (well within maxPollInterval, far beyond the session timeout) stays in the group and keeps its partitions.
     */
    @Test
    void aMemberProcessingForAMinuteBetweenPollsKeepsItsPartitions() {
        f.topic(TOPIC, 4);
        for (int p = 0; p < 4; p++) {
            f.produce(TOPIC, p, 10);
        }
        Consumer fast = f.consumer(GroupFixture.config("busy"));
        Consumer busy = f.consumer(GroupFixture.config("busy"));
        fast.subscribe(List.of(TOPIC));
        busy.subscribe(List.of(TOPIC));
        rounds(50, List.of(fast, busy));
        assertThat(busy.assignment()).hasSize(2);
        Set<TopicPartition> before = busy.assignment();
        long gen = generation("busy");
        long beatsBefore = beats("busy", busy);
        for (int p = 0; p < 4; p++) {
            f.produce(TOPIC, p, 10);
        }
        // busy processes one batch for 60 s; only fast polls meanwhile.
        rounds(600, List.of(fast));
        long beatsDuring = beats("busy", busy) - beatsBefore;
        System.out.println("heartbeats written by a member busy for 60 s between polls: " + beatsDuring);
        assertThat(beatsDuring).as("background heartbeats every %s", DEFAULTS.heartbeatInterval())
                .isGreaterThanOrEqualTo(60 / 3 - 1);
        assertThat(generation("busy")).as("no rebalance while a member processes slowly").isEqualTo(gen);
        assertThat(fast.assignment()).hasSize(2);
        List<ConsumerRecord> got = busy.poll(Duration.ZERO);
        assertThat(busy.assignment()).isEqualTo(before);
        assertThat(got).isNotEmpty().allSatisfy(r -> assertThat(before).contains(
                new TopicPartition(r.topic(), r.partition())));
        busy.commitSync(); // its commits still count: it holds its partitions
        fast.close();
        busy.close();
    }

    /**
     * A member that does not poll within maxPollInterval leaves the group from its background thread: the others
     * own its partitions within the failover bound of the interval running out, its late commits are rejected, and
     * its next poll revokes everything (telling the listener), rejoins and gets a fair share back.
     */
    @Test
    void aMemberThatExceedsTheMaxPollIntervalLeavesAndRejoinsAtItsNextPoll() {
        assertThat(DEFAULTS.maxPollInterval()).isEqualTo(Duration.ofMinutes(5));
        f.topic(TOPIC, 4);
        for (int p = 0; p < 4; p++) {
            f.produce(TOPIC, p, 10);
        }
        Consumer fast = f.consumer(GroupFixture.config("late"));
        Consumer late = f.consumer(GroupFixture.config("late"));
        List<String> events = new ArrayList<>();
        fast.subscribe(List.of(TOPIC));
        late.subscribe(List.of(TOPIC), new io.silt.client.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                events.add("revoked " + partitions.size());
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                events.add("assigned " + partitions.size());
            }
        });
        rounds(50, List.of(fast, late));
        assertThat(late.assignment()).hasSize(2);
        Set<TopicPartition> lateParts = late.assignment();
        long lastPoll = f.clock.nanoTime() - STEP.toNanos();
        long expires = lastPoll + DEFAULTS.maxPollInterval().toNanos();
        long tookOver = -1;
        for (int i = 0; i < 3100 && tookOver < 0; i++) {
            rounds(1, List.of(fast));
            if (fast.assignment().size() == 4) {
                tookOver = f.clock.nanoTime();
            }
        }
        assertThat(tookOver).as("the others took over").isPositive();
        Duration after = Duration.ofNanos(tookOver - expires);
        System.out.println("partitions of a member that stopped polling moved " + after + " after its max poll "
                + "interval (" + DEFAULTS.maxPollInterval() + ") ran out");
        assertThat(after).isGreaterThanOrEqualTo(Duration.ZERO).isLessThanOrEqualTo(FAILOVER_BOUND);
        assertThat(late.assignment()).as("not yet polled: still thinks it reads them").isEqualTo(lateParts);
        Map<TopicPartition, Long> stale = new HashMap<>();
        lateParts.forEach(tp -> stale.put(tp, 1L));
        assertThatThrownBy(() -> late.commitSync(stale)).isInstanceOf(CommitFailedException.class);

        // It polls again: everything it read is revoked, it rejoins and gets its share back once fast releases.
        late.poll(Duration.ZERO);
        assertThat(events).startsWith("assigned 2", "revoked 2");
        rounds(50, List.of(fast, late));
        assertThat(late.assignment()).hasSize(2);
        assertThat(fast.assignment()).hasSize(2);
        assertThat(events).last().isEqualTo("assigned 2");
        assertCommitsNeverGoBack("late");
        fast.close();
        late.close();
    }

    /** Replays the whole group log and checks that counted commits never move an offset backwards. */
    private void assertCommitsNeverGoBack(String group) {
        NumberedLog log = new NumberedLog(f.state(), "groups/" + group + "/log/", 1);
        GroupState s = new GroupState();
        Map<TopicPartition, Long> last = new HashMap<>();
        for (long seq = 1; ; seq++) {
            Optional<ObjectData> d = log.read(seq);
            if (d.isEmpty()) {
                break;
            }
            GroupRecord r = GroupRecord.decode(d.get().bytes(), d.get().key());
            if (s.apply(seq, r) && r instanceof GroupRecord.OffsetCommit c) {
                for (GroupRecord.Offset o : c.offsets()) {
                    Long before = last.put(o.partition(), o.offset());
                    assertThat(o.offset()).as("commit at %d for %s", seq, o.partition())
                            .isGreaterThanOrEqualTo(before == null ? 0 : before);
                }
            }
        }
    }

    @Test
    void aZombiesCommitIsRejectedAndDoesNotCount() {
        f.topic(TOPIC, 4);
        for (int p = 0; p < 4; p++) {
            f.produce(TOPIC, p, 20);
        }
        Consumer c1 = f.consumer(GroupFixture.config("z").withAutoCommit(false));
        Consumer zombie = f.consumer(GroupFixture.config("z").withAutoCommit(false));
        c1.subscribe(List.of(TOPIC));
        zombie.subscribe(List.of(TOPIC));
        rounds(100, List.of(c1, zombie));
        assertThat(zombie.assignment()).hasSize(2);
        c1.commitSync();
        zombie.commitSync();
        Set<TopicPartition> zombieParts = zombie.assignment();
        Map<TopicPartition, Long> before = new HashMap<>();
        for (TopicPartition tp : zombieParts) {
            before.put(tp, zombie.committed(tp).orElseThrow());
        }
        // The zombie stalls (a long GC pause: its background thread too); the group moves on without it.
        f.freeze(zombie, true);
        rounds(150, List.of(c1));
        f.freeze(zombie, false);
        assertThat(c1.assignment()).hasSize(4);
        // It wakes up and commits positions from its old generation: rejected, and not counted.
        Map<TopicPartition, Long> stale = new HashMap<>();
        zombieParts.forEach(tp -> stale.put(tp, 1L));
        assertThatThrownBy(() -> zombie.commitSync(stale)).isInstanceOf(CommitFailedException.class)
                .hasMessageContaining("generation");
        GroupState s = new GroupLog(f.state(), "z", new SplittableRandom(1)).load();
        for (TopicPartition tp : zombieParts) {
            assertThat(s.committed().get(tp).offset()).isEqualTo(before.get(tp));
        }

        // A commit record of an old generation that does land in the log is ignored by every reader.
        GroupLog log = new GroupLog(f.state(), "z", new SplittableRandom(2));
        GroupState st = log.load();
        long oldGen = st.generation().generation() - 1;
        String oldMember = ((ConsumerImpl) zombie).memberId().orElseThrow();
        TopicPartition tp0 = zombieParts.iterator().next();
        Optional<GroupLog.Appended> at = log.append(st, x -> new GroupRecord.OffsetCommit(oldGen, oldMember, 0,
                List.of(new GroupRecord.Offset(tp0, 0, -1))));
        assertThat(at).isPresent();
        assertThat(at.get().counted()).isFalse();
        assertThat(new GroupLog(f.state(), "z", new SplittableRandom(3)).load().committed().get(tp0).offset())
                .isEqualTo(before.get(tp0));
        c1.close();
    }

    @Test
    void aLongLogLoadsFromTheSnapshotNotByReplay() {
        Assumptions.assumeTrue(transports().direct(), "counts the requests of the test's own store");
        f.topic(TOPIC, 1);
        f.produce(TOPIC, 0, 200);
        Consumer c = f.consumer(GroupFixture.config("snap").withAutoCommit(false).withMaxPollRecords(1));
        c.assign(List.of(new TopicPartition(TOPIC, 0)));
        for (int i = 0; i < 100; i++) {
            c.poll(Duration.ZERO);
            c.commitSync();
        }
        long getsBefore = f.store.counts().gets();
        GroupState s = new GroupLog(f.state(), "snap", new SplittableRandom(1)).load();
        long gets = f.store.counts().gets() - getsBefore;
        assertThat(s.seq()).isGreaterThanOrEqualTo(100);
        assertThat(s.committed().get(new TopicPartition(TOPIC, 0)).offset()).isEqualTo(100);
        assertThat(gets).as("GETs to load a group with %d records", s.seq())
                .isLessThanOrEqualTo(GroupLog.SNAPSHOT_EVERY + 3);
        c.close();
    }
}
