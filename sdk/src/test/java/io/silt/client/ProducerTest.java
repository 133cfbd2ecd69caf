package io.silt.client;

import static io.silt.client.ProducerFixture.bytes;
import static io.silt.client.ProducerFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.client.internal.Partitioners;
import io.silt.client.internal.ProducerImpl;
import io.silt.client.internal.Transport;
import io.silt.storage.CountingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.RequestCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Partitioning, batching by size and linger, flush and close, on an in-memory store with a manual clock. The
 * functions module runs it through the Silt service ({@link #transports()}); tests that count the store's requests
 * run only directly on the store.
 */
@Timeout(60)
public class ProducerTest {
    private final InMemoryObjectStore memory = new InMemoryObjectStore();
    private final CountingObjectStore counting = CountingObjectStore.wrap(memory);
    private ProducerFixture fx;
    private static final ProducerConfig NO_LINGER = ProducerConfig.defaults().withLinger(Duration.ZERO);

    /** Where the producers run: directly on the test's store here. */
    protected TestTransports transports() {
        return TestTransports.DIRECT;
    }

    @BeforeEach
    void open() {
        fx = new ProducerFixture(transports(), counting);
    }

    private void assumeStoreIsCounted() {
        Assumptions.assumeTrue(transports().direct(), "counts the requests of the test's own store");
    }

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void everyAcknowledgedRecordIsAtItsOffsetAndAKeyAlwaysGoesToOnePartition() {
        fx.topic("orders", 3);
        Producer p = fx.producer(NO_LINGER);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            futures.add(p.send("orders", "key-" + (i % 17), "value-" + i));
        }
        p.flush();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Map<Integer, List<Transport.Fetched>> logs = new HashMap<>();
        for (int part = 0; part < 3; part++) {
            logs.put(part, fx.readAll("orders", part));
        }
        for (int i = 0; i < 300; i++) {
            RecordMetadata m = futures.get(i).join();
            String key = "key-" + (i % 17);
            assertThat(m.topic()).isEqualTo("orders");
            assertThat(partitionOfKey.computeIfAbsent(key, k -> m.partition())).isEqualTo(m.partition());
            assertThat(m.partition()).isEqualTo(Partitioners.forKey(bytes(key), 3));
            Transport.Fetched stored = logs.get(m.partition()).get((int) m.offset());
            assertThat(stored.offset()).isEqualTo(m.offset());
            assertThat(text(stored.record().key())).isEqualTo(key);
            assertThat(text(stored.record().value())).isEqualTo("value-" + i);
            assertThat(stored.record().timestamp()).isEqualTo(m.timestamp()).isEqualTo(fx.clock.millis());
        }
        assertThat(logs.values().stream().mapToInt(List::size).sum()).isEqualTo(300);
        assertThat(partitionOfKey.values()).containsExactlyInAnyOrder(partitionOfKey.values().toArray(Integer[]::new));
    }

    @Test
    void keyHashIsKafkasMurmur2() {
        // The vectors of Kafka's UtilsTest.testMurmur2: keys land where a Kafka producer would put them.
        assertThat(Partitioners.murmur2(bytes("21"))).isEqualTo(-973932308);
        assertThat(Partitioners.murmur2(bytes("foobar"))).isEqualTo(-790332482);
        assertThat(Partitioners.murmur2(bytes("a-little-bit-long-string"))).isEqualTo(-985981536);
        assertThat(Partitioners.murmur2(bytes("a-little-bit-longer-string"))).isEqualTo(-1486304829);
        assertThat(Partitioners.murmur2(bytes("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")))
                .isEqualTo(-58897971);
        assertThat(Partitioners.murmur2(new byte[] {'a', 'b', 'c'})).isEqualTo(479470107);
        assertThat(Partitioners.forKey(bytes("21"), 7)).isEqualTo((-973932308 & 0x7fffffff) % 7);
    }

    @Test
    void unkeyedRecordsStickToAPartitionPerBatchAndSpreadOverBatches() {
        fx.topic("events", 4);
        Producer p = fx.producer(ProducerConfig.defaults().withLinger(Duration.ofMillis(50)));
        Map<Integer, Integer> perPartition = new HashMap<>();
        for (int batch = 0; batch < 40; batch++) {
            List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                fs.add(p.send("events", (String) null, "v" + i));
            }
            fx.timer.advance(Duration.ofMillis(50));
            Set<Integer> partitions = new HashSet<>();
            fs.forEach(f -> partitions.add(f.join().partition()));
            assertThat(partitions).as("one batch, one partition").hasSize(1);
            perPartition.merge(partitions.iterator().next(), 1, Integer::sum);
        }
        assertThat(perPartition).as("batches spread over the partitions").hasSize(4);
    }

    @Test
    void aBatchWaitsForItsLingerThenGoesAsOneCommit() {
        assumeStoreIsCounted();
        fx.topic("t", 1);
        Producer p = fx.producer(ProducerConfig.defaults().withLinger(Duration.ofMillis(50)));
        RequestCounts before = counting.counts();
        List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fs.add(p.send("t", "k", "v" + i));
        }
        fx.timer.advance(Duration.ofMillis(49));
        assertThat(counting.counts().minus(before).total()).as("nothing sent before the linger").isZero();
        assertThat(fs).noneMatch(CompletableFuture::isDone);
        fx.timer.advance(Duration.ofMillis(1));
        for (int i = 0; i < 10; i++) {
            assertThat(fs.get(i).join().offset()).isEqualTo(i);
        }
        assertThat(counting.counts().minus(before).puts()).as("one inline commit record").isEqualTo(1);
    }

    @Test
    void aFullBatchIsSentWithoutWaitingForItsLinger() {
        fx.topic("t", 1);
        Producer p = fx.producer(ProducerConfig.defaults().withLinger(Duration.ofHours(1)).withBatchBytes(372));
        List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fs.add(p.send("t", "k", "x".repeat(60))); // 93 bytes each as counted
        }
        fs.forEach(CompletableFuture::join); // the fourth record filled the batch
        CompletableFuture<RecordMetadata> fifth = p.send("t", "k", "y");
        assertThat(fifth).isNotDone(); // a new batch, lingering
        p.flush();
        assertThat(fifth.join().offset()).isEqualTo(4);
    }

    @Test
    void anIdleProducerMakesNoRequestsAndHoldsNoTimers() {
        assumeStoreIsCounted();
        fx.topic("t", 2);
        RequestCounts start = counting.counts();
        Producer p = fx.producer(ProducerConfig.defaults());
        fx.timer.advance(Duration.ofHours(1));
        assertThat(counting.counts().minus(start).total()).as("a new producer").isZero();
        p.send("t", "a", "1");
        p.send("t", "b", "2");
        p.flush();
        RequestCounts afterFlush = counting.counts();
        assertThat(fx.timer.pending()).isZero();
        fx.timer.advance(Duration.ofHours(24));
        assertThat(counting.counts().minus(afterFlush).total()).as("requests while idle").isZero();
        assertThat(fx.timer.pending()).isZero();
    }

    @Test
    void aRecordOverTheLimitFailsAtSendAndNothingIsWritten() {
        fx.topic("t", 1);
        Producer p = fx.producer(NO_LINGER.withMaxRecordBytes(1000));
        CompletableFuture<RecordMetadata> f = p.send("t", null, new byte[2000]);
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).hasCauseInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("max.request.size=1000");
        assertThat(p.send("t", null, new byte[900]).join().offset()).isZero();
    }

    @Test
    void anUnknownTopicFailsTheFutureAtOnce() {
        Producer p = fx.producer(NO_LINGER);
        CompletableFuture<RecordMetadata> f = p.send("nope", "k", "v");
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).hasCauseInstanceOf(UnknownTopicException.class).hasMessageContaining("nope");
    }

    @Test
    void aPartitionOutOfRangeFailsTheFuture() {
        fx.topic("t", 2);
        Producer p = fx.producer(NO_LINGER);
        CompletableFuture<RecordMetadata> f = p.send(new ProducerRecord("t", 2, null, bytes("v"), List.of(), null));
        assertThatThrownBy(f::join).hasCauseInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("no partition 2");
        assertThat(p.send(new ProducerRecord("t", 1, null, bytes("v"), List.of(), 5L)).join())
                .isEqualTo(new RecordMetadata("t", 1, 0, 5));
    }

    @Test
    void headersAndExplicitTimestampsAreStored() {
        fx.topic("t", 1);
        Producer p = fx.producer(NO_LINGER);
        p.send(new ProducerRecord("t", null, bytes("k"), null, List.of(Header.of("h", "1")), 1234L)).join();
        Transport.Fetched f = fx.readAll("t", 0).get(0);
        assertThat(f.record().timestamp()).isEqualTo(1234L);
        assertThat(f.record().value()).isNull();
        assertThat(f.record().headers()).hasSize(1);
        assertThat(f.record().headers().get(0).name()).isEqualTo("h");
    }

    @Test
    void flushWaitsForEverythingSentBeforeIt() {
        fx.topic("t", 3);
        Producer p = fx.producer(ProducerConfig.defaults().withLinger(Duration.ofHours(1)));
        List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            fs.add(p.send("t", "k" + i, "v"));
        }
        assertThat(fs).noneMatch(CompletableFuture::isDone);
        p.flush();
        assertThat(fs).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    }

    @Test
    void closeFlushesAndThenRefusesRecords() {
        fx.topic("t", 1);
        Producer p = fx.producer(ProducerConfig.defaults().withLinger(Duration.ofHours(1)));
        CompletableFuture<RecordMetadata> f = p.send("t", "k", "v");
        p.close();
        assertThat(f.join().offset()).isZero();
        assertThat(fx.readAll("t", 0)).hasSize(1);
        assertThatThrownBy(() -> p.send("t", "k", "v").join()).hasCauseInstanceOf(SiltException.class)
                .hasMessageContaining("closed");
        assertThat(fx.timer.pending()).isZero();
    }

    @Test
    void producersHaveDistinctIdsFromTheSeededRandomness() {
        ProducerImpl a = fx.producer(NO_LINGER);
        ProducerImpl b = fx.producer(NO_LINGER);
        assertThat(a.producerId()).isNotZero().isNotEqualTo(b.producerId());
        assertThat(fx.producer(NO_LINGER.withIdempotent(false)).producerId()).isZero();
    }

    @Test
    void manyThreadsSendingToOnePartitionGetDistinctContiguousOffsets() throws Exception {
        fx.topic("t", 1);
        Producer p = fx.producer(NO_LINGER.withBatchBytes(2048));
        List<CompletableFuture<RecordMetadata>> fs = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    fs.add(p.send("t", "k", "t" + id + "-" + i));
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        p.flush();
        Set<Long> offsets = new HashSet<>();
        fs.forEach(f -> offsets.add(f.join().offset()));
        assertThat(offsets).hasSize(1000).allMatch(o -> o >= 0 && o < 1000);
        assertThat(fx.readAll("t", 0)).hasSize(1000);
    }
}
