package io.silt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ProducerConfigTest {

    @Test
    void propertiesOverrideTheDefaultsByKafkaNames() {
        Properties props = new Properties();
        props.setProperty("linger.ms", "5");
        props.setProperty("batch.size", "65536");
        props.setProperty("buffer.memory", "1048576");
        props.setProperty("max.block.ms", "250");
        props.setProperty("delivery.timeout.ms", "30000");
        props.setProperty("max.request.size", "2097152");
        props.setProperty("enable.idempotence", "false");
        props.setProperty("compression.type", "none");
        props.setProperty("group.id", "ignored");
        assertThat(ProducerConfig.fromProperties(props)).isEqualTo(new ProducerConfig(Duration.ofMillis(5), 65536,
                1 << 20, Duration.ofMillis(250), Duration.ofSeconds(30), 2 << 20, false, false));
        assertThat(ProducerConfig.fromProperties(new Properties())).isEqualTo(ProducerConfig.defaults());
    }

    @Test
    void environmentVariablesUseThePrefix() {
        assertThat(ProducerConfig.fromEnvironment(Map.of("SILT_PRODUCER_LINGER_MS", "0",
                "SILT_PRODUCER_COMPRESSION", "lz4")))
                .isEqualTo(ProducerConfig.defaults().withLinger(Duration.ZERO));
    }

    @Test
    void badValuesNameTheProperty() {
        Properties props = new Properties();
        props.setProperty("batch.size", "lots");
        assertThatThrownBy(() -> ProducerConfig.fromProperties(props)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("batch.size");
        assertThatThrownBy(() -> ProducerConfig.defaults().withBufferBytes(10))
                .hasMessageContaining("buffer.memory (10) must be at least batch.size");
        assertThatThrownBy(() -> ProducerConfig.defaults().withMaxRecordBytes(64 << 20))
                .hasMessageContaining("max.request.size");
    }
}
