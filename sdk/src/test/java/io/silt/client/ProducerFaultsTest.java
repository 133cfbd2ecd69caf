package io.silt.client;

import static io.silt.client.ProducerFixture.await;
import static io.silt.client.ProducerFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.client.internal.Transport;
import io.silt.storage.FaultInjectingObjectStore;
import io.silt.storage.FaultInjectingObjectStore.Op;
import io.silt.storage.FaultInjectingPolicy;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.StoreUnavailableException.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Back-pressure, retries with the same sequence, the delivery timeout and closing, with faults injected. */
@Timeout(60)
class ProducerFaultsTest {
    private static final ProducerConfig NO_LINGER = ProducerConfig.defaults().withLinger(Duration.ZERO);
    private final CountDownLatch release = new CountDownLatch(1);
    private final FaultInjectingObjectStore faults =
            FaultInjectingObjectStore.wrap(new InMemoryObjectStore(), 3, d -> release.await());
    private final ProducerFixture fx = new ProducerFixture(faults);

    @AfterEach
    void close() {
        release.countDown();
        fx.close();
    }

    /** Every commit waits until {@link #release} opens. */
    private void blockCommits() {
        faults.setPolicy(Op.PUT_IF_ABSENT, FaultInjectingPolicy.NONE.withLatency(Duration.ofNanos(1)));
    }

    @Test
    void aFullBufferBlocksSendForMaxBlockThenFails() {
        fx.topic("t", 1);
        blockCommits();
        Producer p = fx.producer(NO_LINGER.withBatchBytes(1000).withBufferBytes(1000)
                .withMaxBlock(Duration.ofMillis(100)));
        List<CompletableFuture<RecordMetadata>> accepted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accepted.add(p.send("t", null, new byte[200])); // 232 bytes each as counted: 928 of 1000
        }
        long started = System.nanoTime();
        CompletableFuture<RecordMetadata> refused = p.send("t", null, new byte[200]);
        long blockedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(blockedMillis).as("blocked for max.block, not forever").isBetween(90L, 10_000L);
        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).hasCauseInstanceOf(BufferExhaustedException.class)
                .hasMessageContaining("max.block.ms=100").hasMessageContaining("buffer.memory=1000")
                .hasMessageContaining("928");
        assertThat(refused.handle((m, e) -> e).join()).isInstanceOf(RetriableSiltException.class);

        release.countDown();
        p.flush();
        for (int i = 0; i < 4; i++) {
            assertThat(accepted.get(i).join().offset()).isEqualTo(i);
        }
        assertThat(p.send("t", null, new byte[200]).join().offset()).as("memory is free again").isEqualTo(4);
    }

    @Test
    void aBlockedSendProceedsAsSoonAsMemoryIsFreed() throws Exception {
        fx.topic("t", 1);
        blockCommits();
        Producer p = fx.producer(NO_LINGER.withBatchBytes(500).withBufferBytes(500)
                .withMaxBlock(Duration.ofSeconds(30)));
        CompletableFuture<RecordMetadata> first = p.send("t", null, new byte[400]);
        CompletableFuture<CompletableFuture<RecordMetadata>> second =
                CompletableFuture.supplyAsync(() -> p.send("t", null, new byte[400]));
        assertThat(first).isNotDone();
        release.countDown();
        assertThat(second.get().get().offset()).isEqualTo(1);
        assertThat(first.join().offset()).isZero();
    }

    @Test
    void aFailedCommitIsRetriedWithTheSameSequence() {
        fx.topic("t", 2);
        faults.failNext(Op.PUT_IF_ABSENT, 3, Reason.SERVER_ERROR);
        Producer p = fx.producer(NO_LINGER);
        List<CompletableFuture<RecordMetadata>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fs.add(p.send("t", "k" + (i % 4), "v" + i));
        }
        p.flush();
        assertThat(fs).allMatch(f -> !f.isCompletedExceptionally());
        assertThat(fx.readAll("t", 0).size() + fx.readAll("t", 1).size()).isEqualTo(20);
        assertThat(faults.injected().faults()).isEqualTo(3);
    }

    @Test
    void aCommitThatLandedButWasNotAcknowledgedIsAppendedOnce() {
        fx.topic("t", 1);
        Producer p = fx.producer(NO_LINGER);
        p.send("t", "k", "first").join();
        // The commit lands, its response is lost, and reading it back fails: the outcome is unknown to the writer.
        faults.loseNextResponses(Op.PUT_IF_ABSENT, 1);
        faults.failNext(Op.GET, 1, Reason.SERVER_ERROR);
        CompletableFuture<RecordMetadata> second = p.send("t", "k", "second");
        assertThat(second.join().offset()).isEqualTo(1);
        assertThat(p.send("t", "k", "third").join().offset()).isEqualTo(2);
        List<Transport.Fetched> log = fx.readAll("t", 0);
        assertThat(log).extracting(f -> text(f.record().value())).containsExactly("first", "second", "third");
        assertThat(faults.injected().lostResponses()).isEqualTo(1);
    }

    @Test
    void aBatchThatCannotBeCommittedFailsAfterTheDeliveryTimeoutAndTheNextOneStartsAfresh() {
        fx.topic("t", 1);
        faults.setPolicy(Op.PUT_IF_ABSENT, FaultInjectingPolicy.NONE.withErrors(1.0, Reason.SERVER_ERROR));
        Producer p = fx.producer(NO_LINGER.withDeliveryTimeout(Duration.ofSeconds(2)), Duration.ofMillis(100));
        CompletableFuture<RecordMetadata> f = p.send("t", "k", "lost");
        for (int i = 0; i < 40 && !f.isDone(); i++) {
            await(() -> fx.timer.pending() > 0 || f.isDone()); // a retry is waiting for its backoff
            fx.timer.advance(Duration.ofMillis(100));
        }
        await(f::isDone);
        assertThatThrownBy(f::join).hasCauseInstanceOf(RetriableSiltException.class)
                .hasMessageContaining("delivery.timeout.ms=2000").hasMessageContaining("injected fault");
        faults.setPolicy(Op.PUT_IF_ABSENT, FaultInjectingPolicy.NONE);
        assertThat(p.send("t", "k", "next").join().offset()).isZero();
        assertThat(fx.readAll("t", 0)).extracting(r -> text(r.record().value())).containsExactly("next");
    }

    @Test
    void closeWithATimeoutFailsWhatWasNotSent() {
        fx.topic("t", 1);
        blockCommits();
        Producer p = fx.producer(NO_LINGER);
        CompletableFuture<RecordMetadata> inFlight = p.send("t", "k", "a");
        CompletableFuture<RecordMetadata> waiting = p.send("t", "k", "b");
        p.close(Duration.ofMillis(10));
        assertThatThrownBy(waiting::join).hasCauseInstanceOf(SiltException.class)
                .hasMessageContaining("nothing of them was written");
        release.countDown();
        assertThat(inFlight.join().offset()).as("a batch in flight completes as the store answers").isZero();
    }
}
