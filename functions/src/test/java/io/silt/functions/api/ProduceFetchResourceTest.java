package io.silt.functions.api;

import static io.restassured.RestAssured.given;
import static io.silt.functions.api.TopicsResourceTest.assertProblem;
import static io.silt.functions.api.TopicsResourceTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.silt.client.internal.Partitioners;
import io.silt.client.internal.Transport.Fetched;
import io.silt.client.internal.wire.BatchCodec;
import io.silt.functions.SiltRuntime;
import io.silt.storage.log.segment.Header;
import io.silt.storage.log.segment.Record;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProduceFetchResourceTest {
    @TestHTTPResource("/")
    URL base;
    @Inject
    SiltRuntime runtime;
    @Inject
    LongPolls polls;

    private RequestSpecification api() {
        return given().baseUri(base.toString()).urlEncodingEnabled(false);
    }

    private String topic(int partitions) {
        String name = unique("r");
        api().contentType("application/json").body("{\"name\":\"" + name + "\",\"partitions\":" + partitions + "}")
                .post("/v1/topics").then().statusCode(201);
        return name;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keyedRecordsFollowMurmur2AndUnkeyedOnesStickPerRequest() {
        String t = topic(4);
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 8; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":\"").append(b64("key-" + i)).append("\",\"value\":\"")
                    .append(b64("v" + i)).append("\"}");
        }
        body.append(",{\"value\":\"").append(b64("u1")).append("\"},{\"value\":\"").append(b64("u2"))
                .append("\"},{\"value\":\"").append(b64("x")).append("\",\"partition\":3}]}");
        JsonPath answer = api().contentType("application/json").body(body.toString())
                .post("/v1/topics/" + t + "/records").then().statusCode(200).body("duplicate", equalTo(false))
                .extract().jsonPath();
        for (int i = 0; i < 8; i++) {
            int expected = Partitioners.forKey(("key-" + i).getBytes(StandardCharsets.UTF_8), 4);
            assertThat(answer.getInt("records[" + i + "].partition")).as("record " + i).isEqualTo(expected);
        }
        assertThat(answer.getInt("records[8].partition")).isEqualTo(answer.getInt("records[9].partition"));
        assertThat(answer.getLong("records[9].offset")).isEqualTo(answer.getLong("records[8].offset") + 1);
        assertThat(answer.getInt("records[10].partition")).isEqualTo(3);

        int first = answer.getInt("records[8].partition");
        int second = api().contentType("application/json").body("{\"records\":[{\"value\":\"" + b64("n") + "\"}]}")
                .post("/v1/topics/" + t + "/records").then().statusCode(200).extract().path("records[0].partition");
        assertThat(second).as("the sticky partition rotates per request").isEqualTo((first + 1) % 4);
    }

    @Test
    void jsonRoundTripWithUtf8AndBase64() {
        String t = topic(1);
        api().contentType("application/json")
                .body("{\"encoding\":\"utf8\",\"records\":[{\"key\":\"k\",\"value\":\"héllo\",\"headers\":{\"h\":\"v\","
                        + "\"n\":null},\"timestamp\":42},{\"value\":null}]}")
                .post("/v1/topics/" + t + "/partitions/0/records").then().statusCode(200)
                .body("partition", equalTo(0)).body("baseOffset", equalTo(0)).body("count", equalTo(2))
                .body("duplicate", equalTo(false));
        api().get("/v1/topics/" + t + "/partitions/0/records?offset=0&encoding=utf8").then().statusCode(200)
                .contentType("application/json")
                .body("records.size()", equalTo(2)).body("records[0].offset", equalTo(0))
                .body("records[0].key", equalTo("k")).body("records[0].value", equalTo("héllo"))
                .body("records[0].timestamp", equalTo(42)).body("records[0].headers.h", equalTo("v"))
                .body("records[0].headers.n", equalTo(null)).body("records[1].value", equalTo(null))
                .body("startOffset", equalTo(0)).body("endOffset", equalTo(2));
        api().get("/v1/topics/" + t + "/partitions/0/records?offset=0&maxRecords=1").then().statusCode(200)
                .body("records.size()", equalTo(1)).body("records[0].key", equalTo(b64("k")))
                .body("records[0].value", equalTo(b64("héllo")));
        api().get("/v1/topics/" + t + "/partitions/0/records?offset=2").then().statusCode(200)
                .body("records.size()", equalTo(0)).body("endOffset", equalTo(2));
    }

    @Test
    void binaryBatchesInAndOutWithIdempotentProducerHeaders() {
        String t = topic(2);
        List<Record> records = List.of(new Record("k".getBytes(), "one".getBytes(),
                List.of(new Header("h", "x".getBytes())), 5), Record.of(null, "two".getBytes(), 6));
        byte[] batch = BatchCodec.encodeRecords(records);
        for (boolean duplicate : new boolean[] {false, true}) {
            api().contentType(BatchCodec.MEDIA_TYPE).header("Silt-Producer-Id", "77").header("Silt-Producer-Epoch", "0")
                    .header("Silt-First-Sequence", "0").header("Silt-Compress", "false").body(batch)
                    .post("/v1/topics/" + t + "/partitions/1/records").then().statusCode(200)
                    .body("partition", equalTo(1)).body("baseOffset", equalTo(0)).body("count", equalTo(2))
                    .body("duplicate", equalTo(duplicate));
        }
        Response r = api().accept(BatchCodec.MEDIA_TYPE).get("/v1/topics/" + t + "/partitions/1/records?offset=0");
        r.then().statusCode(200).contentType(BatchCodec.MEDIA_TYPE).header("Silt-Start-Offset", "0")
                .header("Silt-End-Offset", "2");
        List<Fetched> fetched = BatchCodec.decodeFetched(r.asByteArray());
        assertThat(fetched).containsExactly(new Fetched(0, records.get(0)), new Fetched(1, records.get(1)));
        assertProblem(api().contentType(BatchCodec.MEDIA_TYPE).header("Silt-Producer-Id", "77").body(batch)
                .post("/v1/topics/" + t + "/partitions/1/records").then(), 400, "invalid-request");
        assertProblem(api().contentType(BatchCodec.MEDIA_TYPE).body(new byte[] {'S', 'L', 'T', 'B', 1, 0, 0, 0, 9})
                .post("/v1/topics/" + t + "/partitions/1/records").then(), 400, "invalid-request");
    }

    @Test
    void idempotencyKeyAppendsOnceAndSurvivesARestartOfTheProcessState() {
        String t = topic(1);
        String body = "{\"encoding\":\"utf8\",\"records\":[{\"value\":\"once\"}]}";
        String key = UUID();
        api().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/v1/topics/" + t + "/records").then().statusCode(200).body("duplicate", equalTo(false))
                .body("records[0].offset", equalTo(0));
        api().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/v1/topics/" + t + "/records").then().statusCode(200).body("duplicate", equalTo(true))
                .body("records[0].offset", equalTo(0));
        // The answer is in the bucket, not in this process: a restarted service (another instance) finds it.
        assertThat(runtime.store().list("idempotency/" + t + "/", null, 10).objects()).hasSize(1);
        assertProblem(api().contentType("application/json").header("Idempotency-Key", key)
                .body("{\"encoding\":\"utf8\",\"records\":[{\"value\":\"other\"}]}")
                .post("/v1/topics/" + t + "/records").then(), 409, "conflict");
        assertProblem(api().contentType("application/json").header("Idempotency-Key", "x".repeat(201)).body(body)
                .post("/v1/topics/" + t + "/records").then(), 400, "invalid-request");
        api().get("/v1/topics/" + t + "/partitions/0/offsets").then().body("endOffset", equalTo(1));
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyAppendOnce() throws Exception {
        String t = topic(1);
        String key = UUID();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "v1/topics/" + t + "/partitions/0/records"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"encoding\":\"utf8\",\"records\":[{\"value\":\"x\"}]}"))
                .build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        int duplicates = 0;
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"baseOffset\":0");
            duplicates += r.body().contains("\"duplicate\":true") ? 1 : 0;
        }
        assertThat(duplicates).isEqualTo(7);
        api().get("/v1/topics/" + t + "/partitions/0/offsets").then().body("endOffset", equalTo(1));
    }

    @Test
    void errorsOfProduceAndFetch() {
        String t = topic(1);
        assertProblem(api().contentType("application/json").body("{\"records\":[{\"value\":\"" + b64("x") + "\"}]}")
                .post("/v1/topics/nope-" + UUID() + "/records").then(), 404, "unknown-topic");
        assertProblem(api().get("/v1/topics/nope-" + UUID() + "/partitions/0/records?offset=0").then(), 404,
                "unknown-topic");
        assertProblem(api().contentType("application/json").body("{\"records\":[")
                .post("/v1/topics/" + t + "/records").then(), 400, "invalid-request");
        assertProblem(api().contentType("application/json").body("{\"records\":[]}")
                .post("/v1/topics/" + t + "/records").then(), 400, "invalid-request");
        assertProblem(api().contentType("application/json").body("{\"records\":[{\"value\":\"not base64!\"}]}")
                .post("/v1/topics/" + t + "/records").then(), 400, "invalid-request");
        assertProblem(api().contentType("application/json").body("{\"records\":[{\"value\":null,\"partition\":3}]}")
                .post("/v1/topics/" + t + "/records").then(), 400, "invalid-request");
        assertProblem(api().contentType("application/json").body("{\"records\":[{\"value\":null}]}")
                .post("/v1/topics/a%20b/records").then(), 400, "invalid-request");
        assertProblem(api().contentType("text/plain").body("hello")
                .post("/v1/topics/" + t + "/partitions/0/records").then(), 415, "unsupported-media-type");
        assertProblem(api().get("/v1/topics/" + t + "/partitions/0/records?offset=-1").then(), 400,
                "invalid-request");
        assertProblem(api().get("/v1/topics/" + t + "/partitions/0/records").then(), 400, "invalid-request");
        assertProblem(api().get("/v1/topics/" + t + "/partitions/0/records?offset=0&maxRecords=0").then(), 400,
                "invalid-request");
        assertProblem(api().get("/v1/topics/" + t + "/partitions/0/records?offset=0&encoding=hex").then(), 400,
                "invalid-request");
        assertProblem(api().get("/v1/topics/" + t + "/partitions/0/records?offset=5").then(), 416,
                "offset-out-of-range");
    }

    @Test
    void recordsOverTheRecordLimitAre413() {
        String t = topic(1);
        String big = "x".repeat(1024 * 1024 + 10);
        assertProblem(api().contentType("application/json")
                .body("{\"encoding\":\"utf8\",\"records\":[{\"value\":\"" + big + "\"}]}")
                .post("/v1/topics/" + t + "/partitions/0/records").then(), 413, "too-large");
        assertProblem(api().contentType("application/octet-stream").body(new byte[9 * 1024 * 1024])
                .post("/v1/topics/" + t + "/partitions/0/records").then(), 413, "too-large");
    }

    @Test
    void longPollsWaitWithoutThreadsAndWakeOnCommit() throws Exception {
        String t = topic(1);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest poll = HttpRequest.newBuilder(URI.create(base + "v1/topics/" + t
                        + "/partitions/0/records?offset=0&waitMs=20000&encoding=utf8")).GET().build();
        int polls = 40;
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            answers.add(client.sendAsync(poll, HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (this.polls.waiting() < polls && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(this.polls.waiting()).as("parked long polls").isEqualTo(polls);
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        api().contentType("application/json").body("{\"encoding\":\"utf8\",\"records\":[{\"value\":\"wake\"}]}")
                .post("/v1/topics/" + t + "/partitions/0/records").then().statusCode(200);
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            HttpResponse<String> r = a.get(15, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"value\":\"wake\"");
        }
        assertThat(this.polls.waiting()).isZero();
    }

    private static String UUID() {
        return java.util.UUID.randomUUID().toString();
    }
}
