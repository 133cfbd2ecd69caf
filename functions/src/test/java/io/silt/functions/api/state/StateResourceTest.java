package io.silt.functions.api.state;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.silt.storage.ByteRange;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The coordination-state routes: prefixes, key rules, create-only writes, conditional reads, ranges, listing. */
@QuarkusTest
class StateResourceTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void keysOutsideGroupsAndQueuesAreForbiddenAndInvalidKeysRejected() {
        given().baseUri(base.toString()).body("x").put("/v1/state/topics/orders/x").then().statusCode(403)
                .body("type", equalTo("urn:silt:problem:forbidden"));
        given().baseUri(base.toString()).get("/v1/state/groupsX/a").then().statusCode(403);
        given().baseUri(base.toString()).get("/v1/state?prefix=topics/").then().statusCode(403);
        given().baseUri(base.toString()).get("/v1/state?prefix=").then().statusCode(403);
        given().baseUri(base.toString()).urlEncodingEnabled(false).get("/v1/state/groups/a%01b").then().statusCode(400)
                .body("type", equalTo("urn:silt:problem:invalid-request"));
        given().baseUri(base.toString()).get("/v1/state?prefix=groups/&maxKeys=1001").then().statusCode(400);
    }

    @Test
    void createOnlyPutCreatesOnceThenAnswers412() {
        String etag = given().baseUri(base.toString()).header("If-None-Match", "*").header("Silt-Meta-session-ms", "8000")
                .body("first").put("/v1/state/groups/state-test/members/m1").then().statusCode(201)
                .header("Silt-Size", "5").extract().header("ETag");
        given().baseUri(base.toString()).header("If-None-Match", "*").body("second")
                .put("/v1/state/groups/state-test/members/m1").then().statusCode(412);
        given().baseUri(base.toString()).get("/v1/state/groups/state-test/members/m1").then().statusCode(200)
                .header("ETag", etag).header("Silt-Meta-session-ms", "8000").body(equalTo("first"));
        given().baseUri(base.toString()).header("If-None-Match", etag)
                .get("/v1/state/groups/state-test/members/m1").then().statusCode(304);
        given().baseUri(base.toString()).header("If-None-Match", "something-else").body("x")
                .put("/v1/state/groups/state-test/members/m2").then().statusCode(400);
        given().baseUri(base.toString()).delete("/v1/state/groups/state-test/members/m1").then().statusCode(204);
    }

    @Test
    void plainPutOverwritesAndRangesHeadListAndDeleteWork() {
        given().baseUri(base.toString()).body("0123456789").put("/v1/state/queues/t/i/q/00000/head").then()
                .statusCode(200);
        given().baseUri(base.toString()).header("Range", "bytes=2-4").get("/v1/state/queues/t/i/q/00000/head").then()
                .header("Silt-Offset", "2").header("Silt-Size", "10").body(equalTo("234"));
        given().baseUri(base.toString()).header("Range", "bytes=10-").get("/v1/state/queues/t/i/q/00000/head").then()
                .statusCode(416).header("Silt-Size", "10");
        given().baseUri(base.toString()).head("/v1/state/queues/t/i/q/00000/head").then().statusCode(200)
                .header("Silt-Size", "10");
        given().baseUri(base.toString()).get("/v1/state?prefix=queues/t/i/q/").then().statusCode(200)
                .body("objects", hasSize(1)).body("objects[0].key", equalTo("queues/t/i/q/00000/head"))
                .body("truncated", equalTo(false));
        given().baseUri(base.toString()).delete("/v1/state/queues/t/i/q/00000/head").then().statusCode(204);
        given().baseUri(base.toString()).get("/v1/state/queues/t/i/q/00000/head").then().statusCode(404);
        given().baseUri(base.toString()).head("/v1/state/queues/t/i/q/00000/head").then().statusCode(404);
    }

    @Test
    void rangeHeadersParseAsHttpDoes() {
        assertThat(StateResource.parseRange("bytes=2-4")).isEqualTo(ByteRange.of(2, 3));
        assertThat(StateResource.parseRange("bytes=7-")).isEqualTo(ByteRange.from(7));
        assertThat(StateResource.parseRange("bytes=-3")).isEqualTo(ByteRange.suffix(3));
        assertThat(StateResource.parseRange("bytes=4-2")).isNull();
        assertThat(StateResource.parseRange("bytes=-")).isNull();
        assertThat(StateResource.parseRange("items=1-2")).isNull();
    }
}
