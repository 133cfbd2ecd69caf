package io.silt.functions.compaction;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.silt.functions.auth.ApiKey;
import io.silt.functions.auth.AuthOnProfile;
import io.silt.functions.auth.NamePatterns;
import io.silt.functions.auth.Permission;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With API keys on, running compaction needs admin on every topic; reading its status needs any key. */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
class CompactionAuthTest {
    private static final String ADMIN_OF_ALL = "admin-secret-4444";
    private static final String WRITER = "writer-secret-1111";

    @TestHTTPResource("/")
    URL base;

    @Test
    void onlyAnAdminOfEveryTopicMayRunCompaction() {
        given().baseUri(base.toString()).post("/v1/compaction").then().statusCode(401);
        given().baseUri(base.toString()).header("Authorization", "Bearer " + WRITER).post("/v1/compaction")
                .then().statusCode(403)
                .body("type", equalTo("urn:silt:problem:forbidden"))
                .body("detail", containsString("admin"));
        given().baseUri(base.toString()).header("X-Api-Key", WRITER).get("/v1/compaction")
                .then().statusCode(200).body("budgetMs", equalTo(120_000));
        given().baseUri(base.toString()).header("Authorization", "Bearer " + ADMIN_OF_ALL).post("/v1/compaction")
                .then().statusCode(200).body("status", equalTo("COMPLETED"));
    }

    @Test
    void adminOfSomeTopicsIsNotEnough() {
        ApiKey some = new ApiKey("ops", new byte[32], Map.of(Permission.ADMIN, NamePatterns.parse("orders,logs-*")),
                NamePatterns.NONE);
        ApiKey all = new ApiKey("root", new byte[32], Map.of(Permission.ADMIN, NamePatterns.parse("*")),
                NamePatterns.NONE);
        assertThat(CompactionAdminFilter.mayCompact(some)).isFalse();
        assertThat(CompactionAdminFilter.mayCompact(all)).isTrue();
    }
}
