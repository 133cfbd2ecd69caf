package io.silt.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.ObjectStore;
import io.silt.storage.RetryingObjectStore;
import io.silt.storage.testing.S3ProxyServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compactors racing for the lease on a real S3Proxy ({@code If-None-Match: *} is atomic there), each with its own
 * client, behind retries as in production: in every round exactly one wins and the others find the lease busy.
 */
class CompactorLeaseIT {
    static S3ProxyServer server;
    static ExecutorService pool;

    @BeforeAll
    static void start() {
        server = S3ProxyServer.shared();
        pool = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void exactlyOneOfSeveralCompactorsRacingForTheLeaseGetsIt() throws Exception {
        String bucket = server.newBucket();
        int contenders = 4;
        List<ObjectStore> stores = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            stores.add(RetryingObjectStore.wrap(server.storeFor(bucket, "")));
        }
        long lastEpoch = 0;
        for (int round = 0; round < 8; round++) {
            CyclicBarrier barrier = new CyclicBarrier(contenders);
            List<CompactorLease> leases = new ArrayList<>();
            List<Future<CompactorLease.Acquisition>> results = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                CompactorLease lease = new CompactorLease(stores.get(i), "it-" + round + "-" + i,
                        Duration.ofMinutes(2), Duration.ofSeconds(20), Clock.systemUTC(), System::nanoTime,
                        new SplittableRandom());
                leases.add(lease);
                results.add(pool.submit(() -> {
                    barrier.await();
                    return lease.tryAcquire();
                }));
            }
            List<CompactorLease> winners = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                CompactorLease.Acquisition a = results.get(i).get();
                if (a instanceof CompactorLease.Acquisition.Acquired acquired) {
                    winners.add(leases.get(i));
                    assertThat(acquired.epoch()).isGreaterThan(lastEpoch);
                    lastEpoch = acquired.epoch();
                } else {
                    assertThat(a).as("round %d contender %d", round, i)
                            .isInstanceOf(CompactorLease.Acquisition.Busy.class);
                }
            }
            assertThat(winners).as("winners of round %d", round).hasSize(1);
            CompactorLease winner = winners.get(0);
            winner.renew();
            winner.ensureHeld();
            winner.release();
        }
    }

    @Test
    void twoBucketCompactorsStartedTogetherNeverRunAtTheSameTime() throws Exception {
        String bucket = server.newBucket();
        ObjectStore setup = RetryingObjectStore.wrap(server.storeFor(bucket, ""));
        Topics topics = new Topics(setup, Clock.systemUTC(), new SplittableRandom(1));
        topics.create("raced", TopicConfig.of(2));
        for (int round = 0; round < 3; round++) {
            CyclicBarrier barrier = new CyclicBarrier(2);
            List<Future<BucketCompactionReport>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                BucketCompactor c = BucketCompactor.create(RetryingObjectStore.wrap(server.storeFor(bucket, "")),
                        "bucket-it-" + round + "-" + i);
                runs.add(pool.submit(() -> {
                    barrier.await();
                    return c.runOnce();
                }));
            }
            BucketCompactionReport a = runs.get(0).get();
            BucketCompactionReport b = runs.get(1).get();
            // Either one ran and the other was busy, or the first finished and released before the second looked.
            assertThat(List.of(a.status(), b.status())).doesNotContain(BucketCompactionReport.Status.FENCED,
                    BucketCompactionReport.Status.LEASE_UNKNOWN);
            assertThat(a.busy() && b.busy()).isFalse();
            if (!a.busy() && !b.busy()) {
                assertThat(a.epoch()).isNotEqualTo(b.epoch());
            }
        }
    }
}
