package io.silt.functions.api.queues;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.silt.client.Header;
import io.silt.client.Producer;
import io.silt.client.ProducerRecord;
import io.silt.functions.SiltMetrics;
import io.silt.functions.SiltRuntime;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The queue routes against the in-memory store. */
@QuarkusTest
class QueuesResourceTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TestHTTPResource("/")
    URL base;

    @Inject
    SiltRuntime silt;

    @Inject
    SiltMetrics metrics;

    private RequestSpecification api() {
        return given().baseUri(base.toString()).contentType(ContentType.JSON);
    }

    /** A new topic with {@code records} records ("m0", "m1", ...) in partition 0. */
    private String topic(int records) {
        String topic = "q" + NAMES.incrementAndGet() + "-" + System.nanoTime() % 100_000;
        silt.client().admin().createTopic(topic, 1);
        try (Producer p = silt.client().producer()) {
            for (int i = 0; i < records; i++) {
                p.send(new ProducerRecord(topic, 0, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("m" + i).getBytes(StandardCharsets.UTF_8), List.of(Header.of("h", "x" + i)), null));
            }
            p.flush();
        }
        return topic;
    }

    private JsonPath receive(String topic, String queue, String body) {
        return api().body(body).post("/v1/topics/" + topic + "/queues/" + queue + "/receive").then().statusCode(200)
                .extract().jsonPath();
    }

    private static String receipts(List<String> receipts) {
        return "{\"receipts\":[" + String.join(",", receipts.stream().map(r -> "\"" + r + "\"").toList()) + "]}";
    }

    @Test
    void ackedMessagesAreNotRedeliveredAndUnackedOnesComeBackAfterTheirVisibility() {
        String topic = topic(3);
        double before = metrics.registry().counter("silt.consumed.records", "topic", topic).count();
        // Two callers share the queue: what one received is invisible to the other.
        JsonPath first = receive(topic, "work", "{\"max\":2,\"visibilityMs\":30000,\"encoding\":\"utf8\"}");
        JsonPath second = receive(topic, "work", "{\"max\":5,\"visibilityMs\":1,\"encoding\":\"utf8\"}");
        assertThat(first.getList("messages.value", String.class)).containsExactly("m0", "m1");
        assertThat(first.getList("messages.key", String.class)).containsExactly("k0", "k1");
        assertThat(first.getString("messages[0].headers.h")).isEqualTo("x0");
        assertThat(first.getList("messages.deliveries", Integer.class)).containsExactly(1, 1);
        assertThat(second.getList("messages.offset", Long.class)).containsExactly(2L);
        assertThat(metrics.registry().counter("silt.consumed.records", "topic", topic).count() - before)
                .isEqualTo(3.0);

        api().body(receipts(List.of(first.getString("messages[0].receipt"))))
                .post("/v1/topics/" + topic + "/queues/work/ack").then().statusCode(200).body("acked", equalTo(1));
        // m2 was received with a 1 ms visibility and not acked: the SDK judges its lease expired on the service's
        // monotonic clock and a waiting receive gets it again. m0 was acked and m1 is still invisible (30 s).
        JsonPath again = receive(topic, "work", "{\"max\":5,\"waitMs\":10000}");
        assertThat(again.getList("messages.offset", Long.class)).containsExactly(2L);
        assertThat(again.getInt("messages[0].deliveries")).isEqualTo(2);
        assertThat(new String(java.util.Base64.getDecoder().decode(again.getString("messages[0].value")),
                StandardCharsets.UTF_8)).isEqualTo("m2");
        api().body(receipts(List.of(first.getString("messages[1].receipt"), again.getString("messages[0].receipt"))))
                .post("/v1/topics/" + topic + "/queues/work/ack").then().statusCode(200).body("acked", equalTo(2));
        assertThat(receive(topic, "work", "{}").getList("messages")).isEmpty();

        // Another queue on the same topic is independent, and refuses this queue's receipts.
        assertThat(receive(topic, "other", "{\"max\":10}").getList("messages.offset", Long.class))
                .containsExactly(0L, 1L, 2L);
        api().body(receipts(List.of(again.getString("messages[0].receipt"))))
                .post("/v1/topics/" + topic + "/queues/other/ack").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:silt:problem:invalid-request"));
    }

    @Test
    void nackedMessagesComeBackUntilTheyAreDeadLetteredAndRedriven() {
        String topic = topic(1);
        api().post("/v1/topics/" + topic + "/queues/jobs/redrive").then().statusCode(200)
                .body("redriven", equalTo(0));
        List<Integer> deliveries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonPath got = receive(topic, "jobs", "{\"max\":1}");
            assertThat(got.getList("messages.offset", Long.class)).containsExactly(0L);
            deliveries.add(got.getInt("messages[0].deliveries"));
            api().body("{\"receipts\":[\"" + got.getString("messages[0].receipt") + "\"],\"delayMs\":0}")
                    .post("/v1/topics/" + topic + "/queues/jobs/nack").then().statusCode(200)
                    .body("nacked", equalTo(1));
        }
        assertThat(deliveries).containsExactly(1, 2, 3, 4, 5);
        assertThat(receive(topic, "jobs", "{\"max\":1}").getList("messages")).isEmpty(); // 5 deliveries: dead
        assertThat(silt.client().admin().describeTopic(topic + ".dlq").partitionInfo().get(0).endOffset()).isEqualTo(1);

        api().post("/v1/topics/" + topic + "/queues/jobs/redrive").then().statusCode(200)
                .body("redriven", equalTo(1));
        JsonPath back = receive(topic, "jobs", "{\"max\":1,\"encoding\":\"utf8\"}");
        assertThat(back.getString("messages[0].value")).isEqualTo("m0");
        assertThat(back.getLong("messages[0].offset")).isEqualTo(1);
        assertThat(back.getInt("messages[0].deliveries")).isEqualTo(1);
    }

    @Test
    void malformedRequestsAreInvalid() {
        String topic = topic(1);
        String path = "/v1/topics/" + topic + "/queues/q/";
        for (String body : List.of("{", "{\"max\":0}", "{\"max\":501}", "{\"waitMs\":-1}", "{\"waitMs\":20001}",
                "{\"visibilityMs\":0}", "{\"encoding\":\"hex\"}", "{\"maximum\":3}", "{\"max\":\"ten\"}")) {
            api().body(body).post(path + "receive").then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:silt:problem:invalid-request"), "status", equalTo(400));
        }
        for (String body : List.of("", "{}", "{\"receipts\":\"abc\"}", "{\"receipts\":[\"not-a-receipt\"]}",
                "{\"receipts\":[null]}")) {
            api().body(body).post(path + "ack").then().statusCode(400)
                    .body("type", equalTo("urn:silt:problem:invalid-request"));
        }
        String receipt = receive(topic, "q", "{}").getString("messages[0].receipt");
        api().body("{\"receipts\":[\"" + receipt + "\"],\"delayMs\":-5}").post(path + "nack").then().statusCode(400);
        api().body("{}").post("/v1/topics/" + topic + "/queues/bad*name/receive").then().statusCode(400)
                .body("type", equalTo("urn:silt:problem:invalid-request"));
    }

    @Test
    void unknownTopicsAreNotFound() {
        for (String route : List.of("receive", "ack", "nack", "redrive")) {
            api().body(route.equals("receive") ? "{}" : "{\"receipts\":[]}")
                    .post("/v1/topics/no-such-topic/queues/q/" + route).then().statusCode(404)
                    .contentType("application/problem+json").body("type", equalTo("urn:silt:problem:unknown-topic"));
        }
    }
}
