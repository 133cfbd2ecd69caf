package io.silt.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.client.Admin;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.GroupInfo;
import io.silt.client.InvalidRequestException;
import io.silt.client.TopicPartition;
import io.silt.storage.RequestCounts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.silt.client.TestTransports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Positions, commits, offset resets and group admin of the consumer. The functions module runs it through the Silt
 * service ({@link #transports()}); tests that count the store's requests or need the store's clock to be the
 * test's run only directly on the store.
 */
public class ConsumerPositionsTest {
    private GroupFixture f;

    /** Where the consumers run: directly on an in-memory store unless overridden. */
    protected TestTransports transports() {
        return TestTransports.DIRECT;
    }

    @BeforeEach
    void open() {
        f = new GroupFixture(transports());
    }

    @AfterEach
    void closeFixture() {
        f.close();
    }
    private final TopicPartition tp0 = new TopicPartition("t", 0);
    private final TopicPartition tp1 = new TopicPartition("t", 1);

    @Test
    void seekPositionCommittedOffsetsForTimesAndAutoCommitOnClose() {
        f.topic("t", 2);
        f.produce("t", 0, 10);
        f.advance(Duration.ofSeconds(5));
        long later = f.clock.millis();
        f.produce("t", 0, 5);
        Consumer c = f.consumer(GroupFixture.config("pos"));
        c.assign(List.of(tp0, tp1));
        assertThat(c.position(tp0)).isZero();
        assertThat(c.committed(tp0)).isEmpty();
        List<ConsumerRecord> got = c.poll(Duration.ofSeconds(1));
        assertThat(got).hasSize(15);
        assertThat(c.position(tp0)).isEqualTo(15);
        assertThat(c.endOffsets(List.of(tp0))).containsEntry(tp0, 15L);
        assertThat(c.beginningOffsets(List.of(tp0))).containsEntry(tp0, 0L);
        assertThat(c.offsetsForTimes(Map.of(tp0, later))).containsEntry(tp0, Optional.of(10L));
        assertThat(c.offsetsForTimes(Map.of(tp0, later + 60_000))).containsEntry(tp0, Optional.empty());
        c.seek(tp0, 12);
        assertThat(c.poll(Duration.ofSeconds(1))).extracting(ConsumerRecord::offset).containsExactly(12L, 13L, 14L);
        c.seekToBeginning(List.of(tp0));
        assertThat(c.position(tp0)).isZero();
        c.seekToEnd(List.of(tp0));
        assertThat(c.position(tp0)).isEqualTo(15);
        c.commitSync();
        assertThat(c.committed(tp0)).contains(15L);
        c.seek(tp0, 7);
        c.close(); // auto-commit on close
        Consumer again = f.consumer(GroupFixture.config("pos"));
        assertThat(again.committed(tp0)).contains(7L);
        again.assign(List.of(tp0));
        assertThat(again.position(tp0)).isEqualTo(7);
        again.close();
    }

    @Test
    void autoOffsetResetEarliestAndLatest() {
        f.topic("t", 2);
        f.produce("t", 0, 10);
        Consumer latest = f.consumer(GroupFixture.config("a").withAutoOffsetReset(
                ConsumerConfig.OffsetReset.LATEST));
        latest.assign(List.of(tp0));
        assertThat(latest.poll(Duration.ZERO)).isEmpty();
        assertThat(latest.position(tp0)).isEqualTo(10);
        Consumer earliest = f.consumer(GroupFixture.config("b"));
        earliest.assign(List.of(tp0));
        assertThat(earliest.poll(Duration.ofMillis(100))).hasSize(10);
        latest.close();
        earliest.close();
    }

    @Test
    void anIdleConsumerMakesAtMostOneGetPerSecondPerPartitionAndNoListInTheDataPath() {
        Assumptions.assumeTrue(transports().direct(), "counts the requests of the test's own store");
        f.topic("t", 2);
        f.produce("t", 0, 3);
        Consumer standalone = f.consumer(ConsumerConfig.defaults().withAutoOffsetReset(
                ConsumerConfig.OffsetReset.EARLIEST));
        standalone.assign(List.of(tp0, tp1));
        assertThat(standalone.poll(Duration.ofSeconds(1))).hasSize(3);
        RequestCounts ramp = idleFor(standalone, 10);
        System.out.println("first 10 idle seconds (back-off ramp 50 ms .. 1 s): " + ramp);
        assertThat(ramp.gets()).isLessThanOrEqualTo(2 * (10 + 5));
        RequestCounts idle = idleFor(standalone, 60);
        System.out.println("idle standalone consumer, 2 partitions, 60 s: " + idle);
        assertThat(idle.gets()).isLessThanOrEqualTo(2 * 60);
        assertThat(idle.lists()).isZero();
        assertThat(idle.puts()).isZero();
        standalone.close();

        // Two members of one group, one partition each, polling every 100 ms as a busy application would.
        Consumer m1 = f.consumer(GroupFixture.config("idle"));
        Consumer m2 = f.consumer(GroupFixture.config("idle"));
        m1.subscribe(List.of("t"));
        m2.subscribe(List.of("t"));
        for (int i = 0; i < 100; i++) {
            m1.poll(Duration.ZERO);
            m2.poll(Duration.ZERO);
            f.advance(Duration.ofMillis(100));
        }
        assertThat(m1.assignment()).hasSize(1);
        assertThat(m2.assignment()).hasSize(1);
        RequestCounts before = f.store.counts();
        for (int i = 0; i < 600; i++) {
            assertThat(m1.poll(Duration.ZERO)).isEmpty();
            assertThat(m2.poll(Duration.ZERO)).isEmpty();
            f.advance(Duration.ofMillis(100));
        }
        RequestCounts m = f.store.counts().minus(before);
        double month = 43_200; // 60 s periods in a 30-day month
        double dataProbes = new RequestCounts(0, 120, 120, 0, 0, 0, 0, 0, 0, 0).cost();
        System.out.println("2 idle group members, 1 partition each, 60 s (heartbeat 3 s, check 1 s): " + m
                + String.format(" = $%.2f per member per 30-day month, of which the group protocol $%.2f and the "
                + "partition's idle probe $%.2f", m.cost() / 2 * month, (m.cost() - dataProbes) / 2 * month,
                dataProbes / 2 * month));
        // Per member and second: 1 data probe (404), 1 group-log probe (404), 1 look at its successor's heartbeat
        // (304); a heartbeat PUT every 3 s; no LIST, no commit while nothing moves.
        assertThat(m.lists()).isZero();
        assertThat(m.puts()).isLessThanOrEqualTo(2 * 20);
        assertThat(m.gets()).isLessThanOrEqualTo(2 * (60 + 60 + 60));
        assertThat(m.getsNotModified()).as("looks at an unchanged heartbeat (2 of 3)").isGreaterThanOrEqualTo(2 * 38);
        m1.close();
        m2.close();
    }

    private RequestCounts idleFor(Consumer c, int seconds) {
        RequestCounts before = f.store.counts();
        long end = f.clock.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (f.clock.nanoTime() < end) {
            assertThat(c.poll(Duration.ofSeconds(1))).isEmpty();
        }
        return f.store.counts().minus(before);
    }

    @Test
    void adminDescribesResetsAndRefusesWhileMembersLive() {
        f.topic("t", 2);
        f.produce("t", 0, 10);
        f.produce("t", 1, 4);
        Consumer c = f.consumer(GroupFixture.config("adm").withAutoCommit(false));
        c.subscribe(List.of("t"));
        for (int i = 0; i < 5; i++) {
            c.poll(Duration.ofMillis(200));
        }
        c.commitSync(Map.of(tp0, 6L, tp1, 4L));
        DirectGroupAdmin admin = new DirectGroupAdmin(f.transport);
        assertThat(admin.listGroups()).containsExactly("adm");
        GroupInfo info = admin.describeGroup("adm");
        assertThat(info.members()).hasSize(1);
        assertThat(info.partitions()).extracting(GroupInfo.PartitionLag::lagRecords).containsExactly(4L, 0L);
        assertThat(info.partitions().get(0).lagBytes()).isPositive();
        assertThat(info.partitions().get(0).owner()).isEqualTo(((ConsumerImpl) c).memberId().orElseThrow());
        assertThat(admin.stats("adm")).singleElement().satisfies(s -> assertThat(s.lagRecords()).isEqualTo(4));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.resetOffsets("adm", "t",
                new Admin.OffsetSpec.Earliest())).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("live members");
        c.close();
        assertThat(admin.resetOffsets("adm", "t", new Admin.OffsetSpec.AtOffset(2)))
                .containsEntry(tp0, 2L).containsEntry(tp1, 2L);
        assertThat(admin.resetOffsets("adm", "t", new Admin.OffsetSpec.Latest())).containsEntry(tp0, 10L);
        assertThat(admin.describeGroup("adm").totalLag()).isZero();
    }

    @Test
    void adminResetsAGroupWhoseMembersAllDied() {
        // Death is judged on the store's clock (heartbeat objects' times); only the test's own store has the test's.
        Assumptions.assumeTrue(transports().direct(), "needs the store's clock to be the test's manual clock");
        f.topic("t", 1);
        f.produce("t", 0, 10);
        Consumer c = f.consumer(GroupFixture.config("dead"));
        c.subscribe(List.of("t"));
        c.poll(Duration.ofMillis(500));
        f.freeze(c, true);
        f.advance(Duration.ofSeconds(30)); // it died without leaving
        DirectGroupAdmin admin = new DirectGroupAdmin(f.transport);
        assertThat(admin.resetOffsets("dead", "t", new Admin.OffsetSpec.Earliest())).containsEntry(tp0, 0L);
        assertThat(admin.describeGroup("dead").members()).isEmpty();
    }
}
