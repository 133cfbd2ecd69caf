package io.silt.functions.api.groups;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.micrometer.core.instrument.Counter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.silt.client.Producer;
import io.silt.client.ProducerRecord;
import io.silt.functions.SiltMetrics;
import io.silt.functions.SiltRuntime;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The consumer-group routes against the in-memory store. */
@QuarkusTest
class GroupsResourceTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TestHTTPResource("/")
    URL base;

    @Inject
    SiltRuntime silt;

    @Inject
    SessionClock clock;

    @Inject
    GroupSessions sessions;

    @Inject
    SiltMetrics metrics;

    private RequestSpecification api() {
        return given().baseUri(base.toString()).contentType(ContentType.JSON);
    }

    private static String name(String kind) {
        return kind + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    /** A new topic with {@code records} records spread over its partitions. */
    private String topic(int partitions, int records) {
        String topic = name("t");
        silt.client().admin().createTopic(topic, partitions);
        produce(topic, partitions, records);
        return topic;
    }

    private void produce(String topic, int partitions, int records) {
        try (Producer p = silt.client().producer()) {
            for (int i = 0; i < records; i++) {
                p.send(new ProducerRecord(topic, i % partitions, null, ("v" + i).getBytes(StandardCharsets.UTF_8),
                        List.of(), null));
            }
            p.flush();
        }
    }

    private JsonPath join(String group, String topic) {
        return api().body("{\"topics\":[\"" + topic + "\"],\"autoOffsetReset\":\"earliest\"}")
                .post("/v1/groups/" + group + "/members").then().statusCode(200).extract().jsonPath();
    }

    private JsonPath heartbeat(String group, String member) {
        return api().post("/v1/groups/" + group + "/members/" + member + "/heartbeat").then().statusCode(200)
                .extract().jsonPath();
    }

    private static Set<Integer> partitions(JsonPath membership) {
        return new HashSet<>(membership.getList("assignment.partition", Integer.class));
    }

    /** Heartbeats the members until their assignments are {@code sizes} (the SDK rebalances in the background). */
    private List<JsonPath> heartbeatUntil(String group, List<String> members, List<Integer> sizes) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<JsonPath> got = new ArrayList<>();
            for (String m : members) {
                got.add(heartbeat(group, m));
            }
            List<Integer> now = got.stream().map(j -> partitions(j).size()).toList();
            if (now.equals(sizes)) {
                return got;
            }
            assertThat(System.nanoTime()).as("assignments %s never became %s", now, sizes).isLessThan(deadline);
            pause();
        }
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

    @Test
    void twoMembersSplitThePartitionsAndALeaverHandsThemBack() {
        String topic = topic(4, 0);
        String group = name("g");
        JsonPath first = join(group, topic);
        String m1 = first.getString("memberId");
        assertThat(partitions(first)).containsExactlyInAnyOrder(0, 1, 2, 3);
        long g1 = first.getLong("generation");
        assertThat(g1).isPositive();

        String m2 = join(group, topic).getString("memberId");
        List<JsonPath> split = heartbeatUntil(group, List.of(m1, m2), List.of(2, 2));
        Set<Integer> all = new HashSet<>(partitions(split.get(0)));
        all.addAll(partitions(split.get(1)));
        assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(split.get(0).getLong("generation")).isGreaterThan(g1);

        Map<String, Object> described = api().get("/v1/groups/" + group).then().statusCode(200).extract()
                .jsonPath().getMap("");
        assertThat(described.get("members")).asList().hasSize(2);

        api().delete("/v1/groups/" + group + "/members/" + m2).then().statusCode(204);
        JsonPath after = heartbeatUntil(group, List.of(m1), List.of(4)).get(0);
        assertThat(after.getLong("generation")).isGreaterThan(split.get(0).getLong("generation"));
        api().post("/v1/groups/" + group + "/members/" + m2 + "/heartbeat").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:silt:problem:not-found"));
        api().delete("/v1/groups/" + group + "/members/" + m1).then().statusCode(204);
    }

    @Test
    void aSessionNotHeardFromExpiresAndItsPartitionsMove() {
        ManualSessionClock manual = (ManualSessionClock) unwrap(clock);
        String topic = topic(2, 0);
        String group = name("g");
        String m1 = join(group, topic).getString("memberId");
        String m2 = join(group, topic).getString("memberId");
        heartbeatUntil(group, List.of(m1, m2), List.of(1, 1));

        manual.advance(Duration.ofSeconds(20));
        heartbeat(group, m1);
        sessions.reap();
        heartbeat(group, m2); // 20 s of silence is within the 30 s session timeout

        manual.advance(Duration.ofSeconds(20));
        heartbeat(group, m1);
        manual.advance(Duration.ofSeconds(15)); // m2 silent for 35 s, m1 for 15 s
        sessions.reap();
        api().post("/v1/groups/" + group + "/members/" + m2 + "/heartbeat").then().statusCode(404);
        heartbeatUntil(group, List.of(m1), List.of(2));
        api().delete("/v1/groups/" + group + "/members/" + m1).then().statusCode(204);
    }

    private static Object unwrap(Object bean) {
        return bean instanceof io.quarkus.arc.ClientProxy p ? p.arc_contextualInstance() : bean;
    }

    @Test
    void commitsPositionsAndGivenOffsetsAndDescribesLag() {
        String topic = topic(1, 5);
        String group = name("g");
        JsonPath joined = join(group, topic);
        String m = joined.getString("memberId");

        Counter consumed = metrics.registry().counter("silt.consumed.records", "topic", topic);
        double before = consumed.count();
        JsonPath fetched = api().queryParam("maxRecords", 3).queryParam("waitMs", 5000).queryParam("encoding", "utf8")
                .get("/v1/groups/" + group + "/members/" + m + "/records").then().statusCode(200).extract()
                .jsonPath();
        assertThat(fetched.getList("records.offset", Long.class)).containsExactly(0L, 1L, 2L);
        assertThat(fetched.getList("records.value", String.class)).containsExactly("v0", "v1", "v2");
        assertThat(consumed.count() - before).isEqualTo(3.0);

        // Without offsets: the session's position, which is after what was returned, not after what was polled.
        api().body("{\"memberId\":\"" + m + "\"}").post("/v1/groups/" + group + "/offsets").then().statusCode(204);
        assertThat(api().get("/v1/groups/" + group + "/offsets").then().statusCode(200).extract().jsonPath()
                .getList("offsets.offset", Long.class)).containsExactly(3L);

        List<Long> rest = api().queryParam("waitMs", 5000).get("/v1/groups/" + group + "/members/" + m + "/records")
                .then().statusCode(200).extract().jsonPath().getList("records.offset", Long.class);
        assertThat(rest).containsExactly(3L, 4L);
        long generation = heartbeat(group, m).getLong("generation");
        api().body("{\"memberId\":\"" + m + "\",\"generation\":" + generation + ",\"offsets\":[{\"topic\":\""
                + topic + "\",\"partition\":0,\"offset\":4}]}").post("/v1/groups/" + group + "/offsets").then()
                .statusCode(204);

        produce(topic, 1, 3);
        JsonPath described = api().get("/v1/groups/" + group).then().statusCode(200).extract().jsonPath();
        assertThat(described.getLong("partitions[0].committedOffset")).isEqualTo(4);
        assertThat(described.getLong("partitions[0].endOffset")).isEqualTo(8);
        assertThat(described.getLong("partitions[0].lag")).isEqualTo(4);
        assertThat(described.getLong("lag")).isEqualTo(4);
        assertThat(described.getList("members", String.class)).hasSize(1);
        api().delete("/v1/groups/" + group + "/members/" + m).then().statusCode(204);
    }

    @Test
    void recordsPolledByHeartbeatsAreKeptForFetchesNeitherLostNorRepeated() {
        String topic = topic(1, 700);
        String group = name("g");
        String m = join(group, topic).getString("memberId");
        for (int i = 0; i < 3; i++) {
            heartbeat(group, m); // each polls; what is polled beyond the buffer's 500 records is read again later
        }
        List<Long> offsets = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (offsets.size() < 700 && System.nanoTime() < deadline) {
            offsets.addAll(api().queryParam("maxRecords", 300).queryParam("waitMs", 1000)
                    .get("/v1/groups/" + group + "/members/" + m + "/records").then().statusCode(200).extract()
                    .jsonPath().getList("records.offset", Long.class));
            heartbeat(group, m);
            if (offsets.size() == 300) {
                api().body("{\"memberId\":\"" + m + "\"}").post("/v1/groups/" + group + "/offsets").then()
                        .statusCode(204);
                assertThat(api().get("/v1/groups/" + group + "/offsets").then().statusCode(200).extract()
                        .jsonPath().getList("offsets.offset", Long.class)).containsExactly(300L);
            }
        }
        assertThat(offsets).isEqualTo(java.util.stream.LongStream.range(0, 700).boxed().toList());
        api().delete("/v1/groups/" + group + "/members/" + m).then().statusCode(204);
    }

    @Test
    void aCommitInAStaleGenerationIsRefused() {
        String topic = topic(2, 0);
        String group = name("g");
        JsonPath first = join(group, topic);
        String m1 = first.getString("memberId");
        long old = first.getLong("generation");
        String m2 = join(group, topic).getString("memberId");
        JsonPath now = heartbeatUntil(group, List.of(m1, m2), List.of(1, 1)).get(0);
        int kept = now.getInt("assignment[0].partition");

        String commit = "{\"memberId\":\"" + m1 + "\",\"generation\":%d,\"offsets\":[{\"topic\":\"" + topic
                + "\",\"partition\":" + kept + ",\"offset\":0}]}";
        api().body(commit.formatted(old)).post("/v1/groups/" + group + "/offsets").then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("urn:silt:problem:commit-failed"));
        api().body(commit.formatted(now.getLong("generation"))).post("/v1/groups/" + group + "/offsets").then()
                .statusCode(204);
        // A partition handed to the other member is not this member's to commit, whatever the generation says.
        api().body("{\"memberId\":\"" + m1 + "\",\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":"
                + (1 - kept) + ",\"offset\":0}]}").post("/v1/groups/" + group + "/offsets").then().statusCode(409)
                .body("type", equalTo("urn:silt:problem:commit-failed"));
        api().delete("/v1/groups/" + group + "/members/" + m1).then().statusCode(204);
        api().delete("/v1/groups/" + group + "/members/" + m2).then().statusCode(204);
    }

    @Test
    void standaloneCommitsAndResetsOnlyWithoutLiveMembers() {
        String topic = topic(2, 6);
        String group = name("g");
        String m = join(group, topic).getString("memberId");
        String standalone = "{\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":1,\"offset\":2}]}";
        api().body(standalone).post("/v1/groups/" + group + "/offsets").then().statusCode(409)
                .body("type", equalTo("urn:silt:problem:commit-failed"));
        api().body("{\"topic\":\"" + topic + "\",\"to\":\"earliest\"}").post("/v1/groups/" + group
                + "/reset-offsets").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:silt:problem:conflict"));

        api().delete("/v1/groups/" + group + "/members/" + m).then().statusCode(204);
        api().body(standalone).post("/v1/groups/" + group + "/offsets").then().statusCode(204);
        assertThat(api().get("/v1/groups/" + group + "/offsets").then().statusCode(200).extract().jsonPath()
                .getList("offsets.offset", Long.class)).containsExactly(2L);

        JsonPath reset = api().body("{\"topic\":\"" + topic + "\",\"to\":\"latest\"}")
                .post("/v1/groups/" + group + "/reset-offsets").then().statusCode(200).extract().jsonPath();
        assertThat(reset.getList("offsets.offset", Long.class)).containsExactly(3L, 3L);
        api().body("{\"topic\":\"" + topic + "\",\"to\":\"1\"}").post("/v1/groups/" + group + "/reset-offsets")
                .then().statusCode(200);
        assertThat(api().get("/v1/groups/" + group).then().statusCode(200).extract().jsonPath()
                .getList("partitions.committedOffset", Long.class)).containsExactly(1L, 1L);
        api().body("{\"topic\":\"" + topic + "\",\"to\":\"2020-01-01T00:00:00Z\"}")
                .post("/v1/groups/" + group + "/reset-offsets").then().statusCode(200)
                .body("offsets.offset", equalTo(List.of(0, 0)));
        api().body("{\"topic\":\"" + topic + "\",\"to\":\"yesterday\"}").post("/v1/groups/" + group
                + "/reset-offsets").then().statusCode(400).body("type", equalTo("urn:silt:problem:invalid-request"));
        assertThat(api().get("/v1/groups").then().statusCode(200).extract().jsonPath()
                .getList("groups", String.class)).contains(group);
    }

    @Test
    void malformedRequestsAreInvalid() {
        String topic = topic(1, 0);
        String group = name("g");
        for (String body : List.of("{", "[]", "{\"topics\":[]}", "{\"topics\":\"" + topic + "\"}",
                "{\"topics\":[\"" + topic + "\"],\"topicz\":1}", "{\"topics\":[\"" + topic
                        + "\"],\"autoOffsetReset\":\"middle\"}", "")) {
            api().body(body).post("/v1/groups/" + group + "/members").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:silt:problem:invalid-request"), "status", equalTo(400));
        }
        for (String body : List.of("{\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}",
                "{\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":-1}]}", "{\"generation\":1,"
                        + "\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":1}]}", "{}",
                "{\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":\"x\"}]}")) {
            api().body(body).post("/v1/groups/" + group + "/offsets").then().statusCode(400)
                    .body("type", equalTo("urn:silt:problem:invalid-request"));
        }
        String m = join(group, topic).getString("memberId");
        for (String query : List.of("maxRecords=0", "maxRecords=501", "maxRecords=ten", "waitMs=-1", "waitMs=20001",
                "encoding=hex")) {
            api().get("/v1/groups/" + group + "/members/" + m + "/records?" + query).then().statusCode(400)
                    .body("type", equalTo("urn:silt:problem:invalid-request"));
        }
        api().body("{\"topic\":\"" + topic + "\"}").post("/v1/groups/" + group + "/reset-offsets").then()
                .statusCode(400);
        api().delete("/v1/groups/" + group + "/members/" + m).then().statusCode(204);
    }

    @Test
    void unknownTopicsGroupsAndMembersAreNotFound() {
        String group = name("g");
        api().body("{\"topics\":[\"no-such-topic-" + group + "\"]}").post("/v1/groups/" + group + "/members").then()
                .statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:silt:problem:unknown-topic"));
        api().get("/v1/groups/" + group).then().statusCode(404)
                .body("type", equalTo("urn:silt:problem:unknown-group"),
                        "instance", startsWith("/v1/groups/" + group));
        api().get("/v1/groups/" + group + "/offsets").then().statusCode(404)
                .body("type", equalTo("urn:silt:problem:unknown-group"));
        api().post("/v1/groups/" + group + "/members/rest-0000/heartbeat").then().statusCode(404)
                .body("type", equalTo("urn:silt:problem:not-found"));
        api().get("/v1/groups/" + group + "/members/rest-0000/records").then().statusCode(404);
        api().delete("/v1/groups/" + group + "/members/rest-0000").then().statusCode(404);
        api().body("{\"offsets\":[{\"topic\":\"no-such-topic-" + group + "\",\"partition\":0,\"offset\":1}]}")
                .post("/v1/groups/" + group + "/offsets").then().statusCode(404)
                .body("type", equalTo("urn:silt:problem:unknown-topic"));
        api().delete("/v1/groups/" + group).then().statusCode(501)
                .body("type", equalTo("urn:silt:problem:not-implemented"));
    }
}
