package io.silt.functions.api.groups;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.silt.client.Producer;
import io.silt.client.ProducerRecord;
import io.silt.functions.SiltRuntime;
import io.silt.functions.api.S3ProxyStoreResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A group flow and a queue flow end to end over REST, on S3Proxy (real create-only writes). */
@QuarkusTest
@TestProfile(GroupsAndQueuesS3ProxyIT.OnS3Proxy.class)
class GroupsAndQueuesS3ProxyIT {
    /** The service on a fresh S3Proxy bucket. */
    public static class OnS3Proxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(S3ProxyStoreResource.class));
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    SiltRuntime silt;

    private RequestSpecification api() {
        return given().baseUri(base.toString()).contentType(ContentType.JSON);
    }

    private void topic(String topic, int partitions, int records) {
        silt.client().admin().createTopic(topic, partitions);
        try (Producer p = silt.client().producer()) {
            for (int i = 0; i < records; i++) {
                p.send(new ProducerRecord(topic, i % partitions, null, ("r" + i).getBytes(StandardCharsets.UTF_8),
                        List.of(), null));
            }
            p.flush();
        }
    }

    @Test
    void aGroupReadsCommitsAndRebalances() {
        topic("orders", 2, 6);
        String m1 = api().body("{\"topics\":[\"orders\"],\"autoOffsetReset\":\"earliest\"}")
                .post("/v1/groups/billing/members").then().statusCode(200).body("assignment.size()", equalTo(2))
                .extract().jsonPath().getString("memberId");
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < 6 && System.nanoTime() < deadline) {
            values.addAll(api().queryParam("waitMs", 1000).queryParam("encoding", "utf8")
                    .get("/v1/groups/billing/members/" + m1 + "/records").then().statusCode(200).extract()
                    .jsonPath().getList("records.value", String.class));
        }
        assertThat(values).containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4", "r5");
        api().body("{\"memberId\":\"" + m1 + "\"}").post("/v1/groups/billing/offsets").then().statusCode(204);
        assertThat(api().get("/v1/groups/billing/offsets").then().statusCode(200).extract().jsonPath()
                .getList("offsets.offset", Long.class)).containsExactly(3L, 3L);
        assertThat(api().get("/v1/groups/billing").then().statusCode(200).extract().jsonPath().getLong("lag"))
                .isZero();

        String m2 = api().body("{\"topics\":[\"orders\"]}").post("/v1/groups/billing/members").then().statusCode(200)
                .extract().jsonPath().getString("memberId");
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int mine;
        int theirs;
        do {
            mine = heartbeat(m1).getList("assignment").size();
            theirs = heartbeat(m2).getList("assignment").size();
            pause();
        } while ((mine != 1 || theirs != 1) && System.nanoTime() < deadline);
        assertThat(List.of(mine, theirs)).containsExactly(1, 1);
        api().delete("/v1/groups/billing/members/" + m1).then().statusCode(204);
        api().delete("/v1/groups/billing/members/" + m2).then().statusCode(204);
        api().body("{\"topic\":\"orders\",\"to\":\"earliest\"}").post("/v1/groups/billing/reset-offsets").then()
                .statusCode(200).body("offsets.offset", equalTo(List.of(0, 0)));
    }

    /** A pause between rounds of polling for a background rebalance (no expiry depends on it). */
    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private JsonPath heartbeat(String member) {
        return api().post("/v1/groups/billing/members/" + member + "/heartbeat").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void aQueueReceivesAcksAndRedeliversNacked() {
        topic("tasks", 1, 2);
        JsonPath got = api().body("{\"max\":10,\"encoding\":\"utf8\"}").post("/v1/topics/tasks/queues/w/receive")
                .then().statusCode(200).extract().jsonPath();
        assertThat(got.getList("messages.value", String.class)).containsExactly("r0", "r1");
        api().body("{\"receipts\":[\"" + got.getString("messages[0].receipt") + "\"]}")
                .post("/v1/topics/tasks/queues/w/ack").then().statusCode(200).body("acked", equalTo(1));
        api().body("{\"receipts\":[\"" + got.getString("messages[1].receipt") + "\"]}")
                .post("/v1/topics/tasks/queues/w/nack").then().statusCode(200).body("nacked", equalTo(1));
        JsonPath again = api().body("{\"max\":10,\"encoding\":\"utf8\"}").post("/v1/topics/tasks/queues/w/receive")
                .then().statusCode(200).extract().jsonPath();
        assertThat(again.getList("messages.value", String.class)).containsExactly("r1");
        assertThat(again.getInt("messages[0].deliveries")).isEqualTo(2);
        api().body("{\"receipts\":[\"" + again.getString("messages[0].receipt") + "\"]}")
                .post("/v1/topics/tasks/queues/w/ack").then().statusCode(200);
        api().body("{}").post("/v1/topics/tasks/queues/w/receive").then().statusCode(200)
                .body("messages.size()", equalTo(0));
    }
}
