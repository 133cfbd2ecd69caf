package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.client.internal.DirectClient;
import io.silt.storage.CreateResult;
import io.silt.storage.ForwardingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.segment.Record;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class QueueInMemoryTest extends QueueContract {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }

    /** The one test on the real clock: a long poll returns when a message arrives, and not before. */
    @Test
    void receiveWaitsForMessages() throws Exception {
        try (SiltClient client = Silt.builder("mem:").build()) {
            var transport = ((DirectClient) client).transport();
            transport.createTopic("events", 2, Optional.empty(), Optional.empty());
            try (QueueConsumer q = client.queueConsumer("events")) {
                long start = System.nanoTime();
                assertThat(q.receive(10, null, Duration.ofMillis(150))).isEmpty();
                assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));

                CompletableFuture<List<QueueMessage>> got = CompletableFuture.supplyAsync(
                        () -> q.receive(10, null, Duration.ofSeconds(10)));
                transport.append("events", 1, 0, 0, 0, List.of(Record.of(null, QueueFixture.bytes("hi"), 1L)))
                        .join();
                List<QueueMessage> messages = got.get(10, TimeUnit.SECONDS);
                assertThat(messages).extracting(QueueMessage::valueAsString).containsExactly("hi");
                q.ack(messages.get(0).receipt());
            }
        }
    }

    /**
     * Issue 9 (chaos run, QUEUE_ACK_LOST): when the background linger flush had taken the pending acks, {@code flush()}
     * found nothing pending and returned while that write was still in progress, so a consumer killed right after
     * its flush returned lost acks it had reported written, and they were delivered again. The linger's write is
     * held here until the caller's flush waits for it.
     */
    @Test
    void flushReturnsOnlyOnceAcksTakenByTheBackgroundFlushAreWritten() throws Exception {
        CountDownLatch lingerWriting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ObjectStore store = new ForwardingObjectStore(new InMemoryObjectStore()) {
            @Override
            public CreateResult putIfAbsent(String key, byte[] data, Map<String, String> metadata) {
                if (key.startsWith("queues/") && Thread.currentThread().getName().startsWith("silt-queue-acks-")) {
                    lingerWriting.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.putIfAbsent(key, data, metadata);
            }
        };
        Thread caller = Thread.currentThread();
        Thread releaser = new Thread(() -> {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (caller.getState() != Thread.State.BLOCKED && release.getCount() > 0 && System.nanoTime() < giveUp) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            release.countDown(); // the caller waits for the linger's write: let it land
        });
        try (QueueFixture f = new QueueFixture(TestTransports.DIRECT, store)) {
            f.createTopic("jobs", 1);
            f.fill("jobs", 1, 5, 5);
            QueueConsumer q = f.client.queueConsumer("jobs");
            List<QueueMessage> got = q.receive(5, VIS, Duration.ZERO);
            q.ack(got.stream().map(QueueMessage::receipt).toList());
            assertThat(lingerWriting.await(10, TimeUnit.SECONDS)).as("the linger flush took the acks").isTrue();
            try (QueueConsumer other = f.client.queueConsumer("jobs")) {
                assertThat(other.receive(10, VIS, Duration.ZERO)).isEmpty(); // it has seen q's lease from now on
                releaser.start();
                q.flush();

                f.clock.advance(VIS.plusSeconds(1)); // the lease expired: only a written ack keeps them settled
                assertThat(other.receive(10, VIS, Duration.ZERO)).isEmpty();
            }
        } finally {
            release.countDown();
            releaser.join();
        }
    }
}
