package io.silt.functions.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.Producer;
import io.silt.client.QueueConsumer;
import io.silt.client.QueueMessage;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.client.TopicInfo;
import io.silt.client.UnknownTopicException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code Silt.connect("http://...")} as an application uses it: the public API end to end through the service. */
@QuarkusTest
class ConnectOverHttpTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void produceConsumeInAGroupAndReceiveFromAQueue() {
        try (SiltClient silt = Silt.connect(base.toString())) {
            assertThat(silt.target()).startsWith("http://");
            silt.admin().createTopic("connect-orders", 2);
            try (Producer p = silt.producer()) {
                for (int i = 0; i < 20; i++) {
                    p.send("connect-orders", "k" + i, "v" + i);
                }
                p.flush();
            }
            assertThat(silt.admin().describeTopic("connect-orders").partitionInfo().stream()
                    .mapToLong(TopicInfo.PartitionInfo::endOffset).sum()).isEqualTo(20);

            List<ConsumerRecord> got = new ArrayList<>();
            try (Consumer c = silt.consumer(ConsumerConfig.defaults().withGroupId("connect-billing")
                    .withAutoOffsetReset(ConsumerConfig.OffsetReset.EARLIEST))) {
                c.subscribe(List.of("connect-orders"));
                for (int i = 0; i < 100 && got.size() < 20; i++) {
                    got.addAll(c.poll(Duration.ofMillis(200)));
                }
                c.commitSync();
            }
            assertThat(got).extracting(ConsumerRecord::valueAsString).hasSize(20).contains("v0", "v19");
            assertThat(silt.admin().listGroups()).contains("connect-billing");
            assertThat(silt.admin().describeGroup("connect-billing").totalLag()).isZero();

            try (QueueConsumer q = silt.queueConsumer("connect-orders")) {
                List<QueueMessage> messages = q.receive(50, Duration.ofSeconds(30), Duration.ofSeconds(5));
                assertThat(messages).isNotEmpty();
                q.ack(messages.stream().map(QueueMessage::receipt).toList());
            }
            assertThatThrownBy(() -> silt.admin().describeTopic("connect-nope"))
                    .isInstanceOf(UnknownTopicException.class);
        }
    }
}
