package io.silt.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.silt.storage.InMemoryObjectStore;
import io.silt.storage.ObjectData;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final Topics topics = new Topics(store, Clock.systemUTC(), new SplittableRandom(1));

    @Test
    void createDescribeListDelete() {
        TopicDescription orders = topics.create("orders", TopicConfig.of(3));
        topics.create("audit.log_v2", TopicConfig.of(1));
        assertThat(orders.config().partitions()).isEqualTo(3);
        assertThat(orders.config().retentionTime()).contains(Duration.ofDays(7));
        assertThat(topics.describe("orders")).contains(orders);
        assertThat(topics.list()).containsExactly("audit.log_v2", "orders");
        assertThat(orders.partitionPrefix(2)).isEqualTo("data/orders/" + orders.incarnation() + "/00002/");
        assertThatThrownBy(() -> orders.partitionPrefix(3)).hasMessageContaining("no partition 3");

        assertThat(topics.delete("orders")).isTrue();
        assertThat(topics.delete("orders")).isFalse();
        assertThat(topics.describe("orders")).isEmpty();
        assertThat(topics.list()).containsExactly("audit.log_v2");
        assertThatThrownBy(() -> topics.require("orders")).isInstanceOf(UnknownTopicException.class)
                .hasMessageContaining("silt topics create orders");
    }

    @Test
    void creatingAgainWithTheSameSettingsIsIdempotentAndWithOthersAClearError() {
        TopicDescription first = topics.create("t", TopicConfig.of(2));
        assertThat(topics.create("t", TopicConfig.of(2))).isEqualTo(first);
        assertThatThrownBy(() -> topics.create("t", TopicConfig.of(4)))
                .isInstanceOf(TopicExistsException.class)
                .hasMessageContaining("2 partitions").hasMessageContaining("4 partitions");
    }

    @Test
    void aTopicCreatedAgainAfterDeletionGetsANewIncarnation() {
        TopicDescription first = topics.create("t", TopicConfig.of(1));
        topics.delete("t");
        TopicDescription second = topics.create("t", TopicConfig.of(1));
        assertThat(second.incarnation()).isNotEqualTo(first.incarnation());
        assertThat(second.partitionPrefix(0)).isNotEqualTo(first.partitionPrefix(0));
        assertThat(second.version()).isEqualTo(3);
    }

    @Test
    void retentionCanBeChangedKeepingTheIncarnation() {
        TopicDescription t = topics.create("t", TopicConfig.of(1));
        TopicDescription altered = topics.alterRetention("t", Optional.of(Duration.ofHours(1)), Optional.of(1000L));
        assertThat(altered.incarnation()).isEqualTo(t.incarnation());
        assertThat(topics.require("t").config().retentionTime()).contains(Duration.ofHours(1));
        assertThat(topics.require("t").config().retentionBytes()).contains(1000L);
        assertThatThrownBy(() -> topics.alterRetention("nope", Optional.empty(), Optional.empty()))
                .isInstanceOf(UnknownTopicException.class);
    }

    @Test
    void concurrentCreatorsAgreeOnOneIncarnation() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<TopicDescription>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Topics own = new Topics(store, Clock.systemUTC(), new SplittableRandom(100 + i));
                tasks.add(() -> own.create("race", TopicConfig.of(3)));
            }
            List<String> incarnations = new ArrayList<>();
            for (Future<TopicDescription> f : pool.invokeAll(tasks)) {
                incarnations.add(f.get().incarnation());
            }
            assertThat(incarnations).containsOnly(incarnations.get(0));
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", "a/b", "%2e%2e", "tópico", "a b", "a\u0000b", "\u0430bc"})
    void invalidNamesAreRejectedBeforeAnythingIsWritten(String name) {
        assertThatThrownBy(() -> topics.create(name, TopicConfig.of(1))).isInstanceOf(InvalidNameException.class);
        assertThat(store.size()).isZero();
    }

    @Test
    void overlongNamesAreRejected() {
        assertThatThrownBy(() -> topics.create("x".repeat(201), TopicConfig.of(1)))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("201 characters");
    }

    @Test
    void namesAtTheLimitWork() {
        String name = "a".repeat(200);
        topics.create(name, TopicConfig.of(1));
        assertThat(topics.describe(name)).isPresent();
    }

    @Test
    void aTopicRecordFromANewerSiltIsRefusedWithAClearMessage() {
        topics.create("t", TopicConfig.of(1));
        String key = "topics/t/meta/00000000000000000001";
        byte[] bytes = store.get(key).map(ObjectData::bytes).orElseThrow().clone();
        bytes[4] = 9; // the format version byte
        // re-seal the CRC so only the version differs
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int c = (int) crc.getValue();
        bytes[bytes.length - 4] = (byte) (c >>> 24);
        bytes[bytes.length - 3] = (byte) (c >>> 16);
        bytes[bytes.length - 2] = (byte) (c >>> 8);
        bytes[bytes.length - 1] = (byte) c;
        store.put(key, bytes);
        assertThatThrownBy(() -> topics.describe("t")).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("newer Silt").hasMessageContaining("version 9");
    }

    @Test
    void invalidConfigsAreRejected() {
        assertThatThrownBy(() -> TopicConfig.of(0)).hasMessageContaining("partitions must be 1 to");
        assertThatThrownBy(() -> TopicConfig.of(1).withRetention(Optional.of(Duration.ZERO), Optional.empty()))
                .hasMessageContaining("retention time must be positive");
    }
}
