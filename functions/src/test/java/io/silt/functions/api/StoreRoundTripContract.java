package io.silt.functions.api;

import static io.restassured.RestAssured.given;
import static io.silt.functions.api.TopicsResourceTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.silt.client.Producer;
import io.silt.client.ProducerRecord;
import io.silt.client.Silt;
import io.silt.client.SiltClient;
import io.silt.functions.SiltRuntime;
import io.silt.storage.CreateResult;
import io.silt.storage.ObjectInfo;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A produce/fetch round trip through the service on a real store, while another process (a direct SDK client on the
 * same store) appends to the same partition: the two committers race for the same commit record numbers with
 * create-only writes, and every record lands exactly once with its own offset.
 */
abstract class StoreRoundTripContract {
    @TestHTTPResource("/")
    URL base;
    @Inject
    SiltRuntime runtime;

    private RequestSpecification api() {
        return given().baseUri(base.toString());
    }

    @Test
    void roundTripWhileAnotherProcessAppendsToTheSamePartition() throws Exception {
        String t = unique("it");
        api().contentType("application/json").body("{\"name\":\"" + t + "\",\"partitions\":1}").post("/v1/topics")
                .then().statusCode(201);
        int perSide = 20;
        List<String> expected = new ArrayList<>();
        try (SiltClient other = Silt.builder(runtime.target()).seed(7).build();
             Producer producer = other.producer()) {
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < perSide; i++) {
                sent.add(producer.send(new ProducerRecord(t, 0, null, ("direct-" + i).getBytes(StandardCharsets.UTF_8),
                        List.of(), null)));
                expected.add("direct-" + i);
                api().contentType("application/json")
                        .body("{\"encoding\":\"utf8\",\"records\":[{\"value\":\"rest-" + i + "\"}]}")
                        .post("/v1/topics/" + t + "/partitions/0/records").then().statusCode(200);
                expected.add("rest-" + i);
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        JsonPath fetched = api().get("/v1/topics/" + t + "/partitions/0/records?offset=0&maxRecords=1000"
                + "&encoding=utf8&waitMs=1000").then().statusCode(200)
                .body("endOffset", equalTo(2 * perSide)).extract().jsonPath();
        List<String> values = fetched.getList("records.value");
        List<Integer> offsets = fetched.getList("records.offset");
        assertThat(values).containsExactlyInAnyOrderElementsOf(expected);
        Set<Integer> distinct = new HashSet<>(offsets);
        assertThat(distinct).hasSize(2 * perSide);
        // Commit records are create-only: the first one cannot be written again.
        String firstCommit = runtime.store().listAll("data/" + t + "/").stream().map(ObjectInfo::key)
                .filter(k -> k.contains("/log/")).sorted().findFirst().orElseThrow();
        assertThat(runtime.store().putIfAbsent(firstCommit, new byte[] {1})).isInstanceOf(
                CreateResult.AlreadyExists.class);
    }
}
