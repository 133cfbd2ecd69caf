package io.silt.functions.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TopicsResourceTest {
    @TestHTTPResource("/")
    URL base;

    private RequestSpecification api() {
        return given().baseUri(base.toString()).urlEncodingEnabled(false);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void assertProblem(ValidatableResponse r, int status, String kind) {
        r.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("urn:silt:problem:" + kind)).body("status", equalTo(status));
    }

    private String create(String name, int partitions) {
        api().contentType("application/json").body("{\"name\":\"" + name + "\",\"partitions\":" + partitions + "}")
                .post("/v1/topics").then().statusCode(201);
        return name;
    }

    @Test
    void createIsIdempotentAndConflictsOnOtherSettings() {
        String name = unique("orders");
        api().contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"partitions\":3,\"retentionMs\":604800000,\"retentionBytes\":null}")
                .post("/v1/topics").then().statusCode(201).contentType("application/json")
                .body("name", equalTo(name)).body("partitions", equalTo(3))
                .body("retentionMs", equalTo(604800000)).body("retentionBytes", nullValue())
                .body("partitionInfo.size()", equalTo(3)).body("incarnation", notNullValue());
        api().contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"partitions\":3,\"retentionMs\":604800000}")
                .post("/v1/topics").then().statusCode(200).body("name", equalTo(name));
        assertProblem(api().contentType("application/json").body("{\"name\":\"" + name + "\",\"partitions\":4}")
                .post("/v1/topics").then(), 409, "topic-exists");
        api().get("/v1/topics").then().statusCode(200).body("topics", hasItem(name));
    }

    @Test
    void invalidCreateRequestsAre400() {
        assertProblem(api().contentType("application/json").body("{\"name\":\"a b\",\"partitions\":1}")
                .post("/v1/topics").then(), 400, "invalid-request");
        assertProblem(api().contentType("application/json").body("{\"name\":\"../x\",\"partitions\":1}")
                .post("/v1/topics").then(), 400, "invalid-request");
        assertProblem(api().contentType("application/json").body("{\"name\":\"ok\",\"partitions\":0}")
                .post("/v1/topics").then(), 400, "invalid-request");
        assertProblem(api().contentType("application/json").body("{\"name\":")
                .post("/v1/topics").then(), 400, "invalid-request");
        assertProblem(api().contentType("application/json").body("{\"name\":\"ok\",\"retentionMs\":\"soon\"}")
                .post("/v1/topics").then(), 400, "invalid-request");
        assertProblem(api().contentType("text/plain").body("orders").post("/v1/topics").then(), 415,
                "unsupported-media-type");
    }

    @Test
    void invalidNamesInPathsAre400() {
        assertProblem(api().get("/v1/topics/a%20b").then(), 400, "invalid-request");
        assertProblem(api().get("/v1/topics/bad*name").then(), 400, "invalid-request");
    }

    @Test
    void describeAlterDeleteAndUnknownTopics() {
        String name = create(unique("t"), 2);
        api().get("/v1/topics/" + name).then().statusCode(200)
                .body("partitionInfo[1].partition", equalTo(1)).body("partitionInfo[1].startOffset", equalTo(0))
                .body("partitionInfo[1].endOffset", equalTo(0)).body("productionRate", equalTo(0.0f))
                .body("consumptionRate", equalTo(0.0f)).body("lag", equalTo(0))
                .body("latencyMs.p50", nullValue());
        api().contentType("application/json").body("{\"retentionBytes\":1000000}").patch("/v1/topics/" + name)
                .then().statusCode(200).body("retentionBytes", equalTo(1000000))
                .body("retentionMs", equalTo(604800000));
        api().contentType("application/json").body("{\"retentionMs\":null}").patch("/v1/topics/" + name)
                .then().statusCode(200).body("retentionMs", nullValue()).body("retentionBytes", equalTo(1000000));
        api().delete("/v1/topics/" + name).then().statusCode(204);
        assertProblem(api().delete("/v1/topics/" + name).then(), 404, "unknown-topic");
        assertProblem(api().get("/v1/topics/" + name).then(), 404, "unknown-topic");
        assertProblem(api().contentType("application/json").body("{}").patch("/v1/topics/" + name).then(), 404,
                "unknown-topic");
        assertProblem(api().post("/v1/topics/" + name + "/purge").then(), 404, "unknown-topic");
        assertProblem(api().get("/v1/topics/" + name + "/partitions/0/offsets").then(), 404, "unknown-topic");
        api().get("/v1/topics").then().body("topics", not(hasItem(name)));
    }

    @Test
    void offsetsTimestampsPurgeAndFigures() {
        String name = create(unique("p"), 1);
        String records = "{\"encoding\":\"utf8\",\"records\":[{\"value\":\"a\",\"timestamp\":1000},"
                + "{\"value\":\"b\",\"timestamp\":2000},{\"value\":\"c\",\"timestamp\":3000}]}";
        api().contentType("application/json").body(records).post("/v1/topics/" + name + "/partitions/0/records")
                .then().statusCode(200).body("baseOffset", equalTo(0)).body("count", equalTo(3));
        api().get("/v1/topics/" + name + "/partitions/0/offsets").then().statusCode(200)
                .body("startOffset", equalTo(0)).body("endOffset", equalTo(3));
        api().get("/v1/topics/" + name + "/partitions/0/offsets?timestamp=1500").then().statusCode(200)
                .body("offset", equalTo(1));
        api().get("/v1/topics/" + name + "/partitions/0/offsets?timestamp=9999").then().body("offset", equalTo(3));
        assertProblem(api().get("/v1/topics/" + name + "/partitions/0/offsets?timestamp=-1").then(), 400,
                "invalid-request");
        assertProblem(api().get("/v1/topics/" + name + "/partitions/5/offsets").then(), 400, "invalid-request");
        api().get("/v1/topics/" + name + "/partitions/0/records?offset=0&waitMs=0").then().statusCode(200);
        float rate = api().get("/v1/topics/" + name).then().statusCode(200)
                .body("partitionInfo[0].endOffset", equalTo(3)).body("latencyMs.p99", notNullValue())
                .extract().path("productionRate");
        assertThat(rate).isGreaterThan(0f);
        api().post("/v1/topics/" + name + "/purge").then().statusCode(200)
                .body("partitions[0].partition", equalTo(0)).body("partitions[0].startOffset", equalTo(3));
        api().get("/v1/topics/" + name).then().body("partitionInfo[0].startOffset", equalTo(3));
    }
}
