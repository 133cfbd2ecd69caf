package io.silt.functions.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OpenApiTest {
    @TestHTTPResource("/")
    URL base;

    @Test
    void openApiListsTheRoutesAndSwaggerUiAnswers() {
        given().baseUri(base.toString()).get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/topics/{topic}/partitions/{partition}/records"))
                .body(containsString("/v1/topics/{topic}/records"))
                .body(containsString("/v1/topics/{topic}/purge"))
                .body(containsString("/v1/topics/{topic}/partitions/{partition}/offsets"))
                .body(containsString("urn:silt:problem:offset-out-of-range"))
                .body(containsString("Produce"));
        given().baseUri(base.toString()).redirects().follow(true).get("/q/swagger-ui/").then().statusCode(200);
    }
}
