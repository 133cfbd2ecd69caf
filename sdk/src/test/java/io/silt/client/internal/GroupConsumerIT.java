package io.silt.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.client.CommitFailedException;
import io.silt.client.Consumer;
import io.silt.client.ConsumerRecord;
import io.silt.client.TopicPartition;
import io.silt.storage.RetryingObjectStore;
import io.silt.storage.testing.S3ProxyServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The group protocol against a real S3-compatible server (S3Proxy): create-only group log, heartbeat PUTs
 * and conditional GETs of them (304), with the default failover bound. */
class GroupConsumerIT {
    private static final Duration STEP = Duration.ofMillis(100);

    @Test
    void survivorsTakeOverADeadMembersPartitionsAndItsLateCommitIsRejected() {
        S3ProxyServer server = S3ProxyServer.shared();
        try (GroupFixture f = new GroupFixture(RetryingObjectStore.wrap(server.storeFor(server.newBucket(), "grp")))) {
            f.topic("t", 6);
            for (int p = 0; p < 6; p++) {
                f.produce("t", p, 5);
            }
            Consumer c1 = f.consumer(GroupFixture.config("g"));
            Consumer c2 = f.consumer(GroupFixture.config("g"));
            Consumer c3 = f.consumer(GroupFixture.config("g"));
            List.of(c1, c2, c3).forEach(c -> c.subscribe(List.of("t")));
            Map<String, Integer> seen = new HashMap<>();
            rounds(f, 120, List.of(c1, c2, c3), seen);
            assertThat(List.of(c1, c2, c3)).allSatisfy(c -> assertThat(c.assignment()).hasSize(2));
            Set<TopicPartition> dead = c3.assignment();
            f.freeze(c3, true); // killed: no poll, no background heartbeat
            long killedAt = f.clock.nanoTime();
            long tookOver = -1;
            for (int i = 0; i < 200 && tookOver < 0; i++) {
                rounds(f, 1, List.of(c1, c2), seen);
                if (c1.assignment().size() + c2.assignment().size() == 6) {
                    tookOver = f.clock.nanoTime() - killedAt;
                }
            }
            assertThat(tookOver).isPositive();
            System.out.println("S3Proxy: rebalance after a member died took " + Duration.ofNanos(tookOver));
            assertThat(Duration.ofNanos(tookOver))
                    .isLessThanOrEqualTo(GroupFixture.config("g").failoverBound().plus(STEP));
            assertThat(f.store.counts().lists()).as("no LIST in the group protocol").isZero();
            Map<TopicPartition, Long> stale = new HashMap<>();
            dead.forEach(tp -> stale.put(tp, 0L));
            assertThatThrownBy(() -> c3.commitSync(stale)).isInstanceOf(CommitFailedException.class);
            for (int p = 0; p < 6; p++) {
                f.produce("t", p, 5);
            }
            rounds(f, 30, List.of(c1, c2), seen);
            for (int p = 0; p < 6; p++) {
                for (int o = 0; o < 10; o++) {
                    assertThat(seen).containsKey(p + "@" + o);
                }
            }
            c1.close();
            c2.close();
        }
    }

    private static void rounds(GroupFixture f, int n, List<Consumer> live, Map<String, Integer> seen) {
        for (int i = 0; i < n; i++) {
            for (Consumer c : live) {
                for (ConsumerRecord r : c.poll(Duration.ZERO)) {
                    seen.merge(r.partition() + "@" + r.offset(), 1, Integer::sum);
                }
            }
            f.advance(STEP);
        }
    }
}
