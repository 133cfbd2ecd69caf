package io.silt.functions.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The status page at / and the JSON it polls. */
@QuarkusTest
class PageTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void thePageIsHtmlWithItsScript() {
        given().baseUri(base.toString()).get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<script src=\"silt.js\"></script>"));
        given().baseUri(base.toString()).get("/silt.js").then().statusCode(200)
                .body(containsString("get(\"/v1/topics\")"))
                .body(containsString("\"/v1/topics/\" + encodeURIComponent"))
                .body(containsString("get(\"/v1/groups\")"))
                .body(containsString("setInterval(refresh, 2000)"));
    }

    @Test
    void theJsonThePagePollsExists() {
        given().baseUri(base.toString()).contentType("application/json")
                .body("{\"name\":\"page-topic\",\"partitions\":2}").post("/v1/topics")
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200),
                        org.hamcrest.Matchers.is(201)));
        given().baseUri(base.toString()).get("/v1/topics").then().statusCode(200)
                .body("topics", org.hamcrest.Matchers.hasItem("page-topic"));
        given().baseUri(base.toString()).get("/v1/topics/page-topic").then().statusCode(200)
                .body("partitionInfo.size()", org.hamcrest.Matchers.equalTo(2))
                .body("partitionInfo[0].startOffset", notNullValue())
                .body("partitionInfo[0].endOffset", notNullValue())
                .body("productionRate", notNullValue())
                .body("lag", notNullValue());
        given().baseUri(base.toString()).get("/v1/groups").then().statusCode(200)
                .contentType(containsString("json")).body("groups", notNullValue());
    }
}
