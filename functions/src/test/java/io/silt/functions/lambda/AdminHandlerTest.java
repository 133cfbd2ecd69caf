package io.silt.functions.lambda;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The default handler ({@code quarkus.lambda.handler=admin}) through Quarkus' Lambda mock event server, which is
 * RestAssured's default port in {@code @QuarkusTest}.
 */
@QuarkusTest
class AdminHandlerTest {

    @Test
    void createListDescribeThroughTheMockEventServer() {
        given().contentType("application/json").body(Events.read("admin-create.json"))
                .post().then().statusCode(200)
                .body("name", equalTo("lambda-admin"))
                .body("partitions", equalTo(2))
                .body("retentionMs", equalTo(3_600_000));
        given().contentType("application/json").body(Events.read("admin-list.json"))
                .post().then().statusCode(200).body("topics", hasItem("lambda-admin"));
        given().contentType("application/json").body(Events.read("admin-describe.json"))
                .post().then().statusCode(200)
                .body("partitionInfo.size()", equalTo(2))
                .body("partitionInfo[1].endOffset", equalTo(0));
    }

    @Test
    void anUnknownActionFailsTheInvocation() {
        given().contentType("application/json").body("{\"action\":\"explode\"}")
                .post().then().statusCode(500)
                .body("errorMessage", org.hamcrest.Matchers.containsString("unknown action 'explode'"));
    }
}
