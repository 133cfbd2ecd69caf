package io.silt.functions.api;

import static io.restassured.RestAssured.given;
import static io.silt.functions.api.TopicsResourceTest.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.silt.functions.SiltRuntime;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Requests piled up behind a commit in progress: they share the next commit record (group commit), the in-flight
 * limit answers 429, and a draining service answers 503 to new requests while the admitted ones finish.
 */
@QuarkusTest
@TestProfile(GatedProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GroupCommitAndShutdownTest {
    @TestHTTPResource("/")
    URL base;
    @Inject
    SiltRuntime runtime;
    @Inject
    ProduceAdmission admission;

    private final HttpClient client = HttpClient.newHttpClient();

    private GatedRuntime.Gate gate() {
        return ((GatedRuntime) runtime).gate();
    }

    @AfterEach
    void open() {
        gate().release();
    }

    private String topic() {
        String name = unique("g");
        given().baseUri(base.toString()).contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"partitions\":1}").post("/v1/topics").then().statusCode(201);
        return name;
    }

    private CompletableFuture<HttpResponse<String>> produce(String topic, String value) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "v1/topics/" + topic + "/partitions/0/records"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"encoding\":\"utf8\",\"records\":[{\"value\":\""
                        + value + "\"}]}")).build();
        return client.sendAsync(r, HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    @Order(1)
    void concurrentRequestsShareOneCommitRecord() throws Exception {
        String t = topic();
        int before = gate().commits();
        gate().hold();
        CompletableFuture<HttpResponse<String>> first = produce(t, "a");
        await("the first commit to reach the gate", () -> gate().held() == 1);
        CompletableFuture<HttpResponse<String>> second = produce(t, "b");
        CompletableFuture<HttpResponse<String>> third = produce(t, "c");
        await("both requests to be admitted", () -> admission.inFlightRequests() == 3);
        // Admitted requests hand their (inline) batch to the committer right after admission, on their own thread.
        Thread.sleep(200);
        assertThat(first).isNotDone();
        gate().release();
        for (CompletableFuture<HttpResponse<String>> r : List.of(first, second, third)) {
            assertThat(r.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(first.get().body()).contains("\"baseOffset\":0");
        assertThat(List.of(second.get().body(), third.get().body()))
                .anyMatch(b -> b.contains("\"baseOffset\":1")).anyMatch(b -> b.contains("\"baseOffset\":2"));
        assertThat(gate().commits() - before).as("commit records for three requests").isEqualTo(2);
        assertThat(runtime.store().list("data/" + t + "/", null, 100).objects())
                .filteredOn(o -> o.key().contains("/log/")).hasSize(2);
    }

    @Test
    @Order(2)
    void bytesWaitingForCommitOverTheLimitAre429() throws Exception {
        String t = topic();
        gate().hold();
        String big = "x".repeat(GatedProfile.MAX_IN_FLIGHT_BYTES * 2 / 3);
        CompletableFuture<HttpResponse<String>> first = produce(t, big);
        await("the first commit to reach the gate", () -> gate().held() == 1);
        HttpResponse<String> refused = produce(t, big).get(20, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("urn:silt:problem:back-pressure");
        gate().release();
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(produce(t, big).get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    /** Last: the service stays draining afterwards. */
    @Test
    @Order(3)
    void drainingRefusesNewProducesAndLetsAdmittedOnesCommit() throws Exception {
        String t = topic();
        gate().hold();
        CompletableFuture<HttpResponse<String>> admitted = produce(t, "in-flight");
        await("the commit to reach the gate", () -> gate().held() == 1);
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() ->
                admission.drain(Duration.ofSeconds(30)));
        await("draining to start", admission::draining);
        HttpResponse<String> refused = produce(t, "late").get(20, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("urn:silt:problem:unavailable");
        assertThat(drained).isNotDone();
        gate().release();
        assertThat(admitted.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(drained.get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(admitted.get().body()).contains("\"baseOffset\":0");
    }
}
