package io.silt.functions.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdempotencySweepTest {
    private static final Duration WINDOW = Duration.ofHours(24);

    @Test
    void deletesOnlyMarkersOlderThanTwiceTheWindowAndNothingElse() {
        ManualClock clock = new ManualClock();
        InMemoryObjectStore store = new InMemoryObjectStore(clock);
        for (int i = 0; i < 1500; i++) { // more than one LIST page
            store.put("idempotency/orders/old-" + i, new byte[] {1});
        }
        store.put("topics/orders/meta/00000000000000000001", new byte[] {1});
        clock.advance(Duration.ofHours(47));
        store.put("idempotency/orders/recent", new byte[] {1});
        clock.advance(Duration.ofHours(2)); // old markers are 49 h old, the recent one 2 h

        int deleted = IdempotencySweep.sweep(store, clock.instant(), WINDOW);

        assertThat(deleted).isEqualTo(1500);
        assertThat(store.listAll("idempotency/")).extracting(o -> o.key())
                .containsExactly("idempotency/orders/recent");
        assertThat(store.head("topics/orders/meta/00000000000000000001")).isPresent();
    }

    @Test
    void sweepsAtMostHourlyForTheDefaultWindow() {
        assertThat(IdempotencySweep.interval(WINDOW)).isEqualTo(Duration.ofHours(1));
        assertThat(IdempotencySweep.interval(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(1));
    }
}
