package io.silt.functions.lambda;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.silt.functions.SiltRuntime;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code http} handler behind the Lambda mock event server: API Gateway HTTP API (payload 2.0) events in, the
 * application's own routes answer, responses out.
 */
@QuarkusTest
@TestProfile(HttpHandlerProfile.class)
class HttpHandlerTest {
    @Inject
    SiltRuntime silt;

    private static JsonPath invoke(String fixture) {
        return given().contentType("application/json").body(Events.read(fixture))
                .post().then().statusCode(200).extract().jsonPath();
    }

    @Test
    void bodiesHeadersQueryAndCookiesSurviveTheRoundTrip() {
        JsonPath r = invoke("http-echo-json.json");

        assertThat(r.getInt("statusCode")).isEqualTo(200);
        assertThat(r.getBoolean("isBase64Encoded")).isFalse();
        assertThat(r.getString("headers.content-type")).startsWith("application/json");
        assertThat(r.getList("cookies", String.class)).anyMatch(c -> c.startsWith("seen=yes"));
        JsonPath echo = JsonPath.from(r.getString("body"));
        assertThat(echo.getList("query.x")).containsExactly("1");
        assertThat(echo.getList("query.y")).containsExactly("a b", "c");
        assertThat(echo.getString("test")).isEqualTo("one, two");
        assertThat(echo.getString("cookie")).isEqualTo("session=abc");
        assertThat(Base64.getDecoder().decode(echo.getString("body")))
                .isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void binaryBodiesTravelAsBase64BothWays() {
        JsonPath r = invoke("http-echo-binary.json");

        assertThat(r.getInt("statusCode")).isEqualTo(200);
        assertThat(r.getBoolean("isBase64Encoded")).isTrue();
        assertThat(Base64.getDecoder().decode(r.getString("body"))).containsExactly(0x00, 0xff, 0x10, 'A');
        assertThat(r.getString("headers.x-echo")).isEqualTo("binary");
    }

    @Test
    void problemsKeepTheirStatusAndType() {
        JsonPath r = invoke("http-echo-problem.json");

        assertThat(r.getInt("statusCode")).isEqualTo(409);
        assertThat(r.getString("headers.content-type")).startsWith("application/problem+json");
        assertThat(JsonPath.from(r.getString("body")).getString("type")).isEqualTo("urn:silt:problem:conflict");
    }

    @Test
    void healthIsServedToo() {
        JsonPath r = invoke("http-get-health.json");

        assertThat(r.getInt("statusCode")).isEqualTo(200);
        assertThat(JsonPath.from(r.getString("body")).getString("status")).isEqualTo("UP");
    }

    @Test
    void aRealRouteWritesToTheBucketAndReadsBack() {
        JsonPath put = invoke("http-put-state.json");
        assertThat(put.getInt("statusCode")).isEqualTo(201);
        assertThat(silt.store().get("groups/lambda-http/members/m1")).get()
                .satisfies(d -> assertThat(d.bytes()).containsExactly(0, 1, 2, 3));

        JsonPath get = invoke("http-get-state.json");
        assertThat(get.getInt("statusCode")).isEqualTo(200);
        assertThat(get.getBoolean("isBase64Encoded")).isTrue();
        assertThat(Base64.getDecoder().decode(get.getString("body"))).containsExactly(0, 1, 2, 3);

        JsonPath again = invoke("http-put-state.json");
        assertThat(again.getInt("statusCode")).as("create-only: the second PUT loses").isEqualTo(412);
    }

    @Test
    void produceAndFetchThroughTheRestRoutes() {
        silt.client().admin().createTopic("lambda-http", 1);

        JsonPath produced = invoke("http-post-produce.json");
        assertThat(produced.getInt("statusCode")).as(produced.getString("body")).isEqualTo(200);
        JsonPath placed = JsonPath.from(produced.getString("body"));
        assertThat(placed.getInt("records[0].partition")).isZero();
        long offset = placed.getLong("records[0].offset");

        JsonPath fetched = invoke("http-get-fetch.json");
        assertThat(fetched.getInt("statusCode")).as(fetched.getString("body")).isEqualTo(200);
        JsonPath records = JsonPath.from(fetched.getString("body"));
        assertThat(records.getLong("records[0].offset")).isEqualTo(offset);
        assertThat(records.getString("records[0].value")).isEqualTo("through API Gateway");
        assertThat(records.getString("records[0].headers.h")).isEqualTo("v");
    }

    @Test
    void anEventThatIsNotHttpIsAProblem() {
        JsonPath r = given().contentType("application/json").body("{\"rawPath\":\"/\"}")
                .post().then().statusCode(200).extract().jsonPath();
        assertThat(r.getInt("statusCode")).isEqualTo(400);
        assertThat(List.of(r.getString("headers.content-type"))).containsExactly("application/problem+json");
    }
}
