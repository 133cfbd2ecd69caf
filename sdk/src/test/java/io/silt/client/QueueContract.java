package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.CountingObjectStore;
import io.silt.storage.FaultInjectingObjectStore;
import io.silt.storage.ObjectStore;
import io.silt.storage.RequestCounts;
import io.silt.storage.log.segment.Record;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The queue's behaviour, run against each store (in memory, filesystem, S3Proxy), and by the functions module
 * through the Silt service ({@link #transports()}; the store is then the service's).
 */
public abstract class QueueContract {
    static final Duration VIS = Duration.ofSeconds(30);

    /** A new, empty store. */
    protected abstract ObjectStore newStore();

    /** Where the queue consumers run: directly on {@link #newStore()} unless overridden. */
    protected TestTransports transports() {
        return TestTransports.DIRECT;
    }

    /** How many messages each of the drain test's 4 partitions holds. */
    protected int drainPerPartition() {
        return 25_000;
    }

    private QueueFixture fixture(ObjectStore store) {
        return new QueueFixture(transports(), store);
    }

    @Test
    void fiveCompetingConsumersDrainEveryMessageExactlyOnce() throws Exception {
        CountingObjectStore store = CountingObjectStore.wrap(newStore());
        try (QueueFixture f = fixture(store)) {
            int partitions = 4;
            int perPartition = drainPerPartition();
            f.createTopic("orders", partitions);
            f.fill("orders", partitions, perPartition, Math.min(perPartition, 1_000));
            long total = (long) partitions * perPartition;
            RequestCounts before = store.counts();

            Set<Long> acked = ConcurrentHashMap.newKeySet();
            AtomicLong duplicates = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(5);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 5; c++) {
                done.add(pool.submit(() -> {
                    try (QueueConsumer q = f.client.queueConsumer("orders")) {
                        // The clock stands still, so no lease expires: once a receive finds nothing, every
                        // message has been claimed by someone, and this consumer is done.
                        while (true) {
                            List<QueueMessage> got = q.receive(500, VIS, Duration.ZERO);
                            if (got.isEmpty()) {
                                break;
                            }
                            for (QueueMessage m : got) {
                                assertThat(m.deliveryCount()).isEqualTo(1);
                                assertThat(m.valueAsString()).isEqualTo(m.partition() + "-" + m.offset());
                                if (!acked.add(m.partition() * 1_000_000_000L + m.offset())) {
                                    duplicates.incrementAndGet();
                                }
                            }
                            q.ack(got.stream().map(QueueMessage::receipt).toList());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> d : done) {
                d.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(duplicates.get()).isZero();
            assertThat(acked).hasSize((int) total);
            if (!transports().direct()) {
                // Through the service the requests are the service's, not counted here: the drain is what counts.
                try (QueueConsumer late = f.client.queueConsumer("orders")) {
                    assertThat(late.receive(100, VIS, Duration.ZERO)).isEmpty();
                }
                return;
            }
            RequestCounts cost = store.counts().minus(before);
            double perMessage = (double) (cost.puts() + cost.gets() + cost.heads()) / total;
            System.out.printf(getClass().getSimpleName() + ": queue drain of %d messages by 5 consumers: %d PUTs, %d GETs, %d HEADs = %.4f "
                    + "requests per message%n", total, cost.puts(), cost.gets(), cost.heads(), perMessage);
            long records = store.delegate().listAll("queues/").stream().filter(o -> o.key().contains("/log/")).count();
            System.out.printf("queue log records written: %d (the other PUTs are lost races and snapshots)%n",
                    records);
            assertThat(perMessage).isLessThan(0.2);

            // Everything is acked: a fresh consumer finds nothing, cheaply (hint + snapshot + short tail).
            RequestCounts beforeOpen = store.counts();
            try (QueueConsumer late = f.client.queueConsumer("orders")) {
                assertThat(late.receive(100, VIS, Duration.ZERO)).isEmpty();
            }
            RequestCounts open = store.counts().minus(beforeOpen);
            System.out.printf("opening a drained queue of %d partitions: %d requests%n", partitions, open.total());
            assertThat(open.total()).isLessThan(partitions * 80L);
            store.delegate().close();
        }
    }

    @Test
    void messagesOfADeadConsumerAreRedeliveredAfterTheVisibilityTimeoutAndNotBefore() {
        try (QueueFixture f = fixture(newStore())) {
            f.createTopic("jobs", 1);
            f.fill("jobs", 1, 20, 20);
            QueueConsumer dead = f.client.queueConsumer("jobs");
            QueueConsumer live = f.client.queueConsumer("jobs");
            List<QueueMessage> lost = dead.receive(10, VIS, Duration.ZERO);
            assertThat(offsets(lost)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);

            List<QueueMessage> others = live.receive(100, VIS, Duration.ZERO);
            assertThat(offsets(others)).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
            live.ack(others.stream().map(QueueMessage::receipt).toList());
            assertThat(live.receive(100, VIS, Duration.ZERO)).isEmpty();

            f.clock.advance(VIS.minusSeconds(1));
            assertThat(live.receive(100, VIS, Duration.ZERO)).isEmpty();

            f.clock.advance(Duration.ofSeconds(2));
            List<QueueMessage> again = live.receive(100, VIS, Duration.ZERO);
            assertThat(offsets(again)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(again).allSatisfy(m -> assertThat(m.deliveryCount()).isEqualTo(2));
            assertThat(again.get(3).valueAsString()).isEqualTo("0-3");

            // The dead consumer's late ack no longer counts: the messages were given to someone else.
            dead.ack(lost.stream().map(QueueMessage::receipt).toList());
            dead.flush();
            f.clock.advance(VIS.plusSeconds(1));
            assertThat(live.receive(100, VIS, Duration.ZERO)).extracting(QueueMessage::deliveryCount)
                    .containsOnly(3).hasSize(10);
        }
    }

    @Test
    void aLateAckCountsIfNobodyTookTheMessagesSince() {
        try (QueueFixture f = fixture(newStore())) {
            f.createTopic("jobs", 1);
            f.fill("jobs", 1, 5, 5);
            QueueConsumer slow = f.client.queueConsumer("jobs");
            List<QueueMessage> got = slow.receive(10, VIS, Duration.ZERO);
            f.clock.advance(VIS.plusSeconds(10));
            slow.ack(got.stream().map(QueueMessage::receipt).toList());
            slow.flush();
            try (QueueConsumer other = f.client.queueConsumer("jobs")) {
                assertThat(other.receive(10, VIS, Duration.ZERO)).isEmpty();
            }
        }
    }

    @Test
    void nackWithDelayAndExtend() {
        try (QueueFixture f = fixture(newStore())) {
            f.createTopic("jobs", 1);
            f.fill("jobs", 1, 4, 4);
            QueueConsumer a = f.client.queueConsumer("jobs");
            QueueConsumer b = f.client.queueConsumer("jobs");
            List<QueueMessage> got = a.receive(4, VIS, Duration.ZERO);
            a.nack(List.of(got.get(0).receipt()), Duration.ofSeconds(5));
            a.extend(List.of(got.get(1).receipt()), Duration.ofMinutes(2));
            assertThat(b.receive(10, VIS, Duration.ZERO)).isEmpty();
            f.clock.advance(Duration.ofSeconds(6));
            List<QueueMessage> retry = b.receive(10, VIS, Duration.ZERO);
            assertThat(offsets(retry)).containsExactly(0L);
            assertThat(retry.get(0).deliveryCount()).isEqualTo(2);
            b.ack(retry.get(0).receipt());
            f.clock.advance(Duration.ofSeconds(60)); // past the first 30 s, inside the extension
            assertThat(b.receive(10, VIS, Duration.ZERO)).isEmpty();
            f.clock.advance(Duration.ofSeconds(61));
            assertThat(offsets(b.receive(10, VIS, Duration.ZERO))).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicAndRedriveBringsThemBack() {
        try (QueueFixture f = fixture(newStore())) {
            f.createTopic("jobs", 2);
            f.fill("jobs", 2, 3, 3);
            QueueConfig config = QueueConfig.defaults().withMaxDeliveries(3);
            Map<Long, Integer> deliveries = new java.util.HashMap<>();
            try (QueueConsumer q = f.client.queueConsumer("jobs", config)) {
                for (int round = 0; round < 10; round++) {
                    List<QueueMessage> got = q.receive(100, VIS, Duration.ZERO);
                    for (QueueMessage m : got) {
                        deliveries.merge(m.partition() * 100L + m.offset(), 1, Integer::sum);
                        assertThat(m.deliveryCount()).isLessThanOrEqualTo(3);
                    }
                    q.nack(got.stream().map(QueueMessage::receipt).toList(), Duration.ZERO);
                }
            }
            assertThat(deliveries).hasSize(6).allSatisfy((k, v) -> assertThat(v).isEqualTo(3));

            List<Record> dead = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                f.transport.fetch("jobs.dlq", p, 0, 100, 1 << 20, Duration.ZERO).records()
                        .forEach(r -> dead.add(r.record()));
            }
            assertThat(dead).hasSize(6);
            for (Record r : dead) {
                Map<String, String> h = r.headers().stream().collect(Collectors.toMap(
                        io.silt.storage.log.segment.Header::name, x -> new String(x.value(), StandardCharsets.UTF_8)));
                String offset = h.get("silt-dlq-offset");
                assertThat(h).containsEntry("silt-dlq-topic", "jobs").containsEntry("h", "v" + offset)
                        .containsKey("silt-dlq-partition");
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k" + offset);
                assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .isEqualTo(h.get("silt-dlq-partition") + "-" + offset);
            }

            Admin admin = f.client.admin();
            assertThat(admin.redrive("jobs.dlq", "jobs")).isEqualTo(6);
            assertThat(admin.redrive("jobs.dlq", "jobs")).isZero();
            try (QueueConsumer q = f.client.queueConsumer("jobs", config)) {
                List<QueueMessage> back = q.receive(100, VIS, Duration.ZERO);
                assertThat(back).hasSize(6).allSatisfy(m -> {
                    assertThat(m.deliveryCount()).isEqualTo(1);
                    assertThat(m.offset()).isGreaterThanOrEqualTo(3);
                    assertThat(m.headers()).extracting(Header::name).containsExactly("h");
                    assertThat(m.valueAsString()).startsWith(m.partition() + "-");
                });
            }
        }
    }

    @Test
    void aLostClaimResponseDoesNotDeliverTwiceWithinTheLease() {
        Assumptions.assumeTrue(transports().direct(), "injects faults into the test's own store");
        FaultInjectingObjectStore store = FaultInjectingObjectStore.wrap(newStore(), 7);
        try (QueueFixture f = fixture(store)) {
            f.createTopic("jobs", 1);
            f.fill("jobs", 1, 20, 20);
            QueueConsumer a = f.client.queueConsumer("jobs");
            QueueConsumer b = f.client.queueConsumer("jobs");
            store.loseNextResponses(FaultInjectingObjectStore.Op.PUT_IF_ABSENT, 1);
            List<QueueMessage> first = a.receive(10, VIS, Duration.ZERO);
            assertThat(store.injected().lostResponses()).isEqualTo(1);
            List<QueueMessage> second = b.receive(100, VIS, Duration.ZERO);
            Set<Long> overlap = new HashSet<>(offsets(first));
            overlap.retainAll(offsets(second));
            assertThat(offsets(first)).hasSize(10);
            assertThat(offsets(second)).hasSize(10);
            assertThat(overlap).isEmpty();
            f.clock.advance(VIS.minusSeconds(1));
            assertThat(b.receive(100, VIS, Duration.ZERO)).isEmpty();
        }
    }

    @Test
    void aDeadLetterBatchLeftPendingIsFinishedByAnotherConsumerAfterTheVisibilityTimeout() {
        Assumptions.assumeTrue(transports().direct(), "breaks a topic record in the test's own store");
        ObjectStore store = newStore();
        try (QueueFixture f = fixture(store)) {
            f.createTopic("jobs", 1);
            f.fill("jobs", 1, 1, 1);
            // The first consumer's dead-letter topic cannot be created (a corrupt record holds its name): its append
            // fails after its claim decided.
            store.put(io.silt.storage.log.NumberedLog.key("topics/jobs.broken/meta/", 1),
                    "not a topic record".getBytes(StandardCharsets.UTF_8), Map.of());
            QueueConfig broken = QueueConfig.defaults().withMaxDeliveries(1).withDeadLetterTopic("jobs.broken");
            try (QueueConsumer a = f.client.queueConsumer("jobs", broken)) {
                a.nack(a.receive(10, VIS, Duration.ZERO).get(0).receipt());
                assertThat(a.receive(10, VIS, Duration.ZERO)).isEmpty();
            }
            try (QueueConsumer b = f.client.queueConsumer("jobs", broken.withDeadLetterTopic(null))) {
                assertThat(b.receive(10, VIS, Duration.ZERO)).isEmpty();
                assertThat(store.list("topics/jobs.dlq/", null, 10).objects()).isEmpty();
                f.clock.advance(VIS.plusSeconds(1));
                assertThat(b.receive(10, VIS, Duration.ZERO)).isEmpty();
            }
            var dead = f.transport.fetch("jobs.dlq", 0, 0, 10, 1 << 20, Duration.ZERO).records();
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.get(0).record().value(), StandardCharsets.UTF_8)).isEqualTo("0-0");
        }
    }

    @Test
    void aConsumerOpeningFromASnapshotSeesOutstandingLeases() {
        try (QueueFixture f = fixture(newStore())) {
            f.createTopic("jobs", 1);
            f.fill("jobs", 1, 100, 100);
            try (QueueConsumer a = f.client.queueConsumer("jobs")) {
                for (int i = 0; i < 100; i++) {
                    QueueMessage m = a.receive(1, VIS, Duration.ZERO).get(0);
                    if (m.offset() % 2 == 0) {
                        a.ack(m.receipt());
                        a.flush();
                    } else if (m.offset() % 5 == 0) {
                        a.nack(List.of(m.receipt()), Duration.ofMinutes(10));
                    }
                }
            }
            try (QueueConsumer b = f.client.queueConsumer("jobs")) {
                assertThat(b.receive(200, VIS, Duration.ZERO)).isEmpty();
                f.clock.advance(VIS.plusSeconds(1));
                List<QueueMessage> again = b.receive(200, VIS, Duration.ZERO);
                assertThat(offsets(again)).hasSize(40).allMatch(o -> o % 2 == 1 && o % 5 != 0);
                assertThat(again).allSatisfy(m -> assertThat(m.deliveryCount()).isEqualTo(2));
                b.ack(again.stream().map(QueueMessage::receipt).toList());
                f.clock.advance(Duration.ofMinutes(10));
                assertThat(offsets(b.receive(200, VIS, Duration.ZERO))).containsExactly(5L, 15L, 25L, 35L, 45L, 55L,
                        65L, 75L, 85L, 95L);
            }
            assertThat(f.transport.stateStore().get("queues/jobs/" + f.transport.topic("jobs").incarnation()
                    + "/queue/00000/head")).isPresent();
        }
    }

    private static List<Long> offsets(List<QueueMessage> messages) {
        return messages.stream().map(QueueMessage::offset).toList();
    }
}
