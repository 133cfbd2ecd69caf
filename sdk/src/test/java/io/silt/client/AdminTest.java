package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.client.internal.AdminImpl;
import io.silt.client.internal.QueueAdmin;
import io.silt.storage.InMemoryObjectStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Topic administration and the figures of describe, on an in-memory store with a manual clock. The functions module
 * runs it through the Silt service ({@link #transports()}).
 */
@Timeout(60)
public class AdminTest {
    private ProducerFixture fx;
    private Admin admin;
    private static final ProducerConfig NO_LINGER = ProducerConfig.defaults().withLinger(Duration.ZERO);

    /** Where the admin runs: directly on an in-memory store here. */
    protected TestTransports transports() {
        return TestTransports.DIRECT;
    }

    @BeforeEach
    void open() {
        fx = new ProducerFixture(transports(), new InMemoryObjectStore());
        admin = new AdminImpl(fx.transport, AdminImpl.Groups.NONE, QueueAdmin.of(fx.transport));
    }

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void createDescribeListAndDelete() {
        TopicInfo created = admin.createTopic("orders", 3);
        assertThat(created.partitions()).isEqualTo(3);
        assertThat(created.retentionTime()).contains(Duration.ofDays(7));
        assertThat(created.retentionBytes()).isEmpty();
        assertThat(created.partitionInfo()).containsExactly(new TopicInfo.PartitionInfo(0, 0, 0, 0),
                new TopicInfo.PartitionInfo(1, 0, 0, 0), new TopicInfo.PartitionInfo(2, 0, 0, 0));
        assertThat(admin.createTopic("orders", 3)).as("same settings again").isEqualTo(created);
        assertThatThrownBy(() -> admin.createTopic("orders", 4)).isInstanceOf(TopicExistsException.class)
                .hasMessageContaining("already exists");
        admin.createTopic("audit", 1, Optional.empty(), Optional.of(1L << 30));
        assertThat(admin.listTopics()).containsExactly("audit", "orders");

        assertThat(admin.deleteTopic("orders")).isTrue();
        assertThat(admin.deleteTopic("orders")).isFalse();
        assertThat(admin.listTopics()).containsExactly("audit");
        assertThatThrownBy(() -> admin.describeTopic("orders")).isInstanceOf(UnknownTopicException.class)
                .hasMessageContaining("create it first");
    }

    @Test
    void invalidNamesAndCountsAreInvalidRequests() {
        assertThatThrownBy(() -> admin.createTopic("no/slash", 1)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> admin.createTopic("t", 0)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void describeReportsOffsetsBytesAndTheProductionRate() {
        Assumptions.assumeTrue(transports().direct(), "the production rate is measured on the store's clock, which "
                + "the test moves only when it is the test's own");
        admin.createTopic("t", 2);
        Producer p = fx.producer(NO_LINGER.withCompression(false));
        for (int i = 0; i < 30; i++) {
            p.send(new ProducerRecord("t", i % 2, null, new byte[100], List.of(), null)).join();
        }
        TopicInfo info = admin.describeTopic("t");
        assertThat(info.partitionInfo()).extracting(TopicInfo.PartitionInfo::endOffset).containsExactly(15L, 15L);
        assertThat(info.partitionInfo()).allMatch(pi -> pi.startOffset() == 0 && pi.bytes() >= 15 * 100);
        assertThat(info.stats().produceRecordsPerSecond()).isEqualTo(30 / 60.0);
        assertThat(info.stats().consumeRecordsPerSecond()).isZero();
        assertThat(info.stats().lagRecords()).isZero();
        assertThat(info.stats().endToEndLatencyMillis()).isEqualTo(-1);

        fx.clock.advance(AdminImpl.STATS_WINDOW.plusSeconds(1));
        assertThat(admin.describeTopic("t").stats().produceRecordsPerSecond()).as("outside the window").isZero();
    }

    @Test
    void retentionCanBeAltered() {
        admin.createTopic("t", 1);
        TopicInfo altered = admin.alterRetention("t", Optional.of(Duration.ofHours(1)), Optional.of(1000L));
        assertThat(altered.retentionTime()).contains(Duration.ofHours(1));
        assertThat(altered.retentionBytes()).contains(1000L);
        assertThat(admin.describeTopic("t").retentionTime()).contains(Duration.ofHours(1));
        assertThatThrownBy(() -> admin.alterRetention("nope", Optional.empty(), Optional.empty()))
                .isInstanceOf(UnknownTopicException.class);
    }

    @Test
    void purgeMovesTheStartToTheEndAndKeepsLaterRecords() {
        admin.createTopic("t", 2);
        Producer p = fx.producer(NO_LINGER);
        for (int i = 0; i < 10; i++) {
            p.send(new ProducerRecord("t", i % 2, null, new byte[10], List.of(), null)).join();
        }
        admin.purgeTopic("t");
        TopicInfo purged = admin.describeTopic("t");
        assertThat(purged.partitionInfo()).allMatch(pi -> pi.startOffset() == 5 && pi.endOffset() == 5
                && pi.bytes() == 0);
        RecordMetadata later = p.send(new ProducerRecord("t", 0, null, new byte[10], List.of(), null)).join();
        assertThat(later.offset()).isEqualTo(5);
        TopicInfo after = admin.describeTopic("t");
        assertThat(after.partitionInfo().get(0)).matches(pi -> pi.startOffset() == 5 && pi.endOffset() == 6);
        admin.purgeTopic("t");
        assertThat(admin.describeTopic("t").partitionInfo().get(0).startOffset()).isEqualTo(6);
        assertThatThrownBy(() -> admin.purgeTopic("nope")).isInstanceOf(UnknownTopicException.class);
    }

    @Test
    void purgingAnEmptyTopicDoesNothing() {
        admin.createTopic("t", 1);
        admin.purgeTopic("t");
        assertThat(admin.describeTopic("t").partitionInfo().get(0).endOffset()).isZero();
    }

    @Test
    void groupsAreEmptyUntilTheGroupMachineryIsPluggedIn() {
        assertThat(admin.listGroups()).isEmpty();
        assertThatThrownBy(() -> admin.describeGroup("g")).isInstanceOf(SiltException.class);
    }
}
