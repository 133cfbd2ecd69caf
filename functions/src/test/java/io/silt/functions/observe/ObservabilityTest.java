package io.silt.functions.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.TopicPartition;
import io.silt.client.internal.Transport;
import io.silt.functions.SiltRuntime;
import io.silt.storage.log.segment.Record;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Metrics at /q/metrics, health at /q/health, lag figures. */
@QuarkusTest
class ObservabilityTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    SiltRuntime silt;

    @Inject
    LagMonitor lag;

    @Test
    void storeRequestsAreExportedByKind() {
        silt.store().head("observe/nothing");
        String metrics = given().baseUri(base.toString()).get("/q/metrics").then().statusCode(200)
                .extract().asString();
        assertThat(metrics).contains("silt_store_requests_total{kind=\"head\"}")
                .contains("silt_store_requests_total{kind=\"put\"}")
                .contains("silt_store_bytes_total{direction=\"written\"}");
        double heads = silt.countingStore().counts().heads();
        assertThat(heads).isPositive();
    }

    @Test
    void readinessReachesTheStoreAndLivenessIsUp() {
        given().baseUri(base.toString()).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("silt-store"));
        given().baseUri(base.toString()).get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItem("silt-process"));
    }

    @Test
    void readinessIsCachedForItsPeriod() {
        long[] now = {0};
        StoreReadiness check = new StoreReadiness(silt, Duration.ofSeconds(5), () -> now[0]);
        long before = silt.countingStore().counts().heads();

        check.call();
        check.call();
        now[0] += Duration.ofSeconds(4).toNanos();
        check.call();
        assertThat(silt.countingStore().counts().heads() - before).isEqualTo(1);

        now[0] += Duration.ofSeconds(2).toNanos();
        assertThat(check.call().getStatus().name()).isEqualTo("UP");
        assertThat(silt.countingStore().counts().heads() - before).isEqualTo(2);
    }

    @Test
    void lagPerTopicAndGroupIsComputedOffTheScrape() throws Exception {
        String topic = "observe-lag";
        silt.client().admin().createTopic(topic, 1, Optional.of(Duration.ofDays(1)), Optional.empty());
        List<Record> records = List.of(Record.of(null, new byte[] {1}, 0), Record.of(null, new byte[] {2}, 0),
                Record.of(null, new byte[] {3}, 0));
        Transport.AppendAck ack = silt.transport().append(topic, 0, 0, 0, 0, records).get();
        assertThat(ack.count()).isEqualTo(3);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Consumer c = silt.client().consumer(ConsumerConfig.defaults().withGroupId("observers")
                .withAutoCommit(false))) {
            c.assign(List.of(tp));
            c.commitSync(Map.of(tp, 1L));
        }

        lag.refreshNow();

        assertThat(lag.lags()).contains(new LagMonitor.Lag(topic, "observers", 2));
        given().baseUri(base.toString()).get("/q/metrics").then().statusCode(200)
                .body(containsString("silt_group_lag_records{group=\"observers\",topic=\"observe-lag\"} 2.0"));
    }
}
