package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConsumerConfigTest {
    @Test
    void propertiesOverrideTheDefaults() {
        Properties p = new Properties();
        p.setProperty("group.id", "billing");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("auto.offset.reset", "earliest");
        p.setProperty("max.poll.records", "50");
        p.setProperty("session.timeout.ms", "12000");
        p.setProperty("max.poll.interval.ms", "60000");
        p.setProperty("unrelated.setting", "ignored");
        ConsumerConfig c = ConsumerConfig.fromProperties(p);
        assertThat(c.groupId()).isEqualTo("billing");
        assertThat(c.autoCommit()).isFalse();
        assertThat(c.autoOffsetReset()).isEqualTo(ConsumerConfig.OffsetReset.EARLIEST);
        assertThat(c.maxPollRecords()).isEqualTo(50);
        assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(c.maxPollInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.heartbeatInterval()).isEqualTo(ConsumerConfig.defaults().heartbeatInterval());
    }

    @Test
    void noPropertiesGiveTheDefaults() {
        assertThat(ConsumerConfig.fromProperties(new Properties())).isEqualTo(ConsumerConfig.defaults());
    }

    @Test
    void badValuesNameTheProperty() {
        Properties p = new Properties();
        p.setProperty("auto.offset.reset", "newest");
        assertThatThrownBy(() -> ConsumerConfig.fromProperties(p)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("auto.offset.reset");
        Properties q = new Properties();
        q.setProperty("max.poll.records", "lots");
        assertThatThrownBy(() -> ConsumerConfig.fromProperties(q)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("max.poll.records");
    }
}
