package io.silt.functions;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * Note for all REST tests in this module: RestAssured's default port is the Lambda mock event server's, so REST
 * tests must use the HTTP test port ({@code @TestHTTPResource("/") URL base} and {@code given().baseUri(...)}).
 */
@QuarkusTest
class UnknownRouteTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void anUnknownRouteAnswers404() {
        given().baseUri(base.toString()).get("/v1/nothing-here").then().statusCode(404);
    }
}
