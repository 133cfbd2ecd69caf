package io.silt.functions.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.silt.storage.InMemoryObjectStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConflictCountingStoreTest {
    @Test
    void countsLostCreateOnlyRacesByArea() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConflictCountingStore store = new ConflictCountingStore(new InMemoryObjectStore(), registry);

        assertThat(store.putIfAbsent("topics/t/0/log/1", new byte[] {1}, Map.of()).created()).isTrue();
        assertThat(store.putIfAbsent("topics/t/0/log/1", new byte[] {2}, Map.of()).created()).isFalse();
        assertThat(store.putIfAbsent("topics/t/0/log/1", new byte[] {3}, Map.of()).created()).isFalse();
        store.putIfAbsent("groups/g/log/1", new byte[] {1}, Map.of());

        assertThat(registry.get("silt.store.create.conflicts").tag("area", "topics").counter().count())
                .isEqualTo(2.0);
        assertThat(registry.find("silt.store.create.conflicts").tag("area", "groups").counter()).isNull();
    }
}
