package io.silt.functions.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Descriptions are cached for {@code silt.describe-cache-ms}; a change through this service drops its entry. */
@QuarkusTest
@TestProfile(DescribeCacheTest.LongCache.class)
class DescribeCacheTest {
    public static final class LongCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("silt.describe-cache-ms", "600000");
        }
    }

    @TestHTTPResource("/")
    URL base;

    private RequestSpecification api() {
        return given().baseUri(base.toString());
    }

    @Test
    void aPolledDescriptionComesFromTheCacheUntilTheTopicChangesHere() {
        api().contentType("application/json").body("{\"name\":\"cached\",\"partitions\":1}").post("/v1/topics")
                .then().statusCode(201);
        api().get("/v1/topics/cached").then().statusCode(200).body("partitionInfo[0].endOffset", equalTo(0));

        api().contentType("application/json").body("{\"encoding\":\"utf8\",\"records\":[{\"value\":\"a\"}]}")
                .post("/v1/topics/cached/partitions/0/records").then().statusCode(200);
        // Within the cache's age the description is the polled one (no LIST and group loads per poll).
        api().get("/v1/topics/cached").then().statusCode(200).body("partitionInfo[0].endOffset", equalTo(0));

        api().contentType("application/json").body("{\"retentionMs\":3600000}").patch("/v1/topics/cached")
                .then().statusCode(200);
        api().get("/v1/topics/cached").then().statusCode(200).body("retentionMs", equalTo(3600000))
                .body("partitionInfo[0].endOffset", equalTo(1));
    }
}
