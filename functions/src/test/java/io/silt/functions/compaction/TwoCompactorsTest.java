package io.silt.functions.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.ForwardingObjectStore;
import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ListPage;
import io.silt.storage.Sleeper;
import io.silt.storage.log.BucketCompactionReport;
import io.silt.storage.log.BucketCompactor;
import io.silt.storage.log.CompactionRunPolicy;
import io.silt.storage.log.LogConfig;
import io.silt.storage.log.TopicConfig;
import io.silt.storage.log.Topics;
import io.silt.storage.testing.ManualClock;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two compactors on one bucket at once (two processes, or a service and the function): one works, one is busy. */
class TwoCompactorsTest {

    @Test
    void whileOneCompactorRunsTheOtherIsBusyAndTheFirstFinishes() throws Exception {
        ManualClock clock = new ManualClock();
        InMemoryObjectStore bucket = new InMemoryObjectStore(clock);
        new Topics(bucket, clock, new SplittableRandom(1)).create("orders", TopicConfig.of(2));
        CountDownLatch planning = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        ForwardingObjectStore paused = new ForwardingObjectStore(bucket) {
            @Override
            public ListPage list(String prefix, String startAfter, int maxKeys) {
                if (prefix.equals("topics/") && planning.getCount() > 0) { // holds the lease while it plans
                    planning.countDown();
                    await(goOn);
                }
                return super.list(prefix, startAfter, maxKeys);
            }
        };
        BucketCompactor first = compactor(paused, "service@host-a", clock);
        BucketCompactor second = compactor(bucket, "compaction@lambda", clock);

        CompletableFuture<BucketCompactionReport> running = CompletableFuture.supplyAsync(first::runOnce);
        assertThat(planning.await(10, TimeUnit.SECONDS)).isTrue();
        BucketCompactionReport busy = second.runOnce();
        goOn.countDown();
        BucketCompactionReport done = running.get(10, TimeUnit.SECONDS);

        assertThat(busy.status()).isEqualTo(BucketCompactionReport.Status.BUSY);
        assertThat(busy.leaseHolder()).contains("service@host-a");
        assertThat(busy.partitionsVisited()).isZero();
        assertThat(done.status()).isEqualTo(BucketCompactionReport.Status.COMPLETED);
        assertThat(done.partitionsVisited()).isEqualTo(2);
        assertThat(second.runOnce().status()).as("released: the next run gets the lease")
                .isEqualTo(BucketCompactionReport.Status.COMPLETED);
    }

    private static BucketCompactor compactor(io.silt.storage.ObjectStore store, String owner, ManualClock clock) {
        return new BucketCompactor(store, LogConfig.DEFAULTS, CompactionRunPolicy.DEFAULTS, owner, clock,
                clock::nanoTime, new SplittableRandom(), Sleeper.SYSTEM);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the first compactor go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
