package io.silt.functions.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.silt.functions.SiltRuntime;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API keys on the REST routes: a write route ({@code PUT /v1/state/groups/{g}/...}, consume on the group) checks
 * that refused requests write nothing.
 */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
class AuthFilterTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    SiltRuntime silt;

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            logged.add(format.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("io.silt").setLevel(java.util.logging.Level.ALL);
    }

    @AfterEach
    void secretsNeverLogged() {
        Logger.getLogger("").removeHandler(capture);
        for (String line : logged) {
            assertThat(line).doesNotContain(AuthOnProfile.WRITER, AuthOnProfile.READER, AuthOnProfile.REVOKED,
                    AuthOnProfile.ADMIN, "wrong-secret-9999");
        }
    }

    private RequestSpecification http() {
        return given().baseUri(base.toString()).log().ifValidationFails();
    }

    private static String key(String group, String name) {
        return "groups/" + group + "/auth-test/" + name;
    }

    @Test
    void noKeyIs401AndNothingIsWritten() {
        http().body(new byte[] {1}).contentType("application/octet-stream")
                .put("/v1/state/" + key("billing", "none"))
                .then().log().ifValidationFails().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("urn:silt:problem:unauthenticated"));
        assertThat(silt.store().head(key("billing", "none"))).isEmpty();
    }

    @Test
    void anUnknownKeyIs401AndNotEchoed() {
        http().header("Authorization", "Bearer wrong-secret-9999").body(new byte[] {1})
                .contentType("application/octet-stream").put("/v1/state/" + key("billing", "wrong"))
                .then().statusCode(401).body(not(containsString("wrong-secret-9999")));
        assertThat(silt.store().head(key("billing", "wrong"))).isEmpty();
    }

    @Test
    void aRevokedKeyIs401() {
        http().header("X-Api-Key", AuthOnProfile.REVOKED).body(new byte[] {1})
                .contentType("application/octet-stream").put("/v1/state/" + key("billing", "revoked"))
                .then().statusCode(401);
        assertThat(silt.store().head(key("billing", "revoked"))).isEmpty();
    }

    @Test
    void theWrongGroupIs403AndNothingIsWritten() {
        http().header("Authorization", "Bearer " + AuthOnProfile.WRITER).body(new byte[] {1})
                .contentType("application/octet-stream").put("/v1/state/" + key("reports", "forbidden"))
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:silt:problem:forbidden"))
                .body("detail", containsString("key 'writer'"))
                .body(not(containsString(AuthOnProfile.WRITER)));
        assertThat(silt.store().head(key("reports", "forbidden"))).isEmpty();
        assertThat(logged).as("the capture works: the refusal is logged, naming the key")
                .anyMatch(l -> l.contains("key 'writer' lacks consume permission on group 'reports'"));
    }

    @Test
    void aGoodKeyPassesWithEitherHeader() {
        http().header("Authorization", "Bearer " + AuthOnProfile.WRITER).body(new byte[] {1})
                .contentType("application/octet-stream").put("/v1/state/" + key("billing", "bearer"))
                .then().statusCode(200);
        assertThat(silt.store().head(key("billing", "bearer"))).isPresent();

        http().header("X-Api-Key", AuthOnProfile.READER).body(new byte[] {2})
                .contentType("application/octet-stream").put("/v1/state/" + key("reports", "api-key"))
                .then().statusCode(200);
        assertThat(silt.store().head(key("reports", "api-key"))).isPresent();
    }

    @Test
    void producingNeedsProducePermissionOnTheTopic() {
        for (String t : List.of("orders", "payments")) {
            if (!silt.client().admin().listTopics().contains(t)) {
                silt.client().admin().createTopic(t, 1);
            }
        }
        String body = "{\"encoding\":\"utf8\",\"records\":[{\"value\":\"x\"}]}";
        long orders = silt.transport().offsets("orders", 0)[1];
        long payments = silt.transport().offsets("payments", 0)[1];

        http().contentType("application/json").body(body).post("/v1/topics/orders/records")
                .then().statusCode(401);
        http().header("X-Api-Key", AuthOnProfile.WRITER).contentType("application/json").body(body)
                .post("/v1/topics/payments/records").then().statusCode(403)
                .body("detail", containsString("produce permission on topic 'payments'"));
        http().header("X-Api-Key", AuthOnProfile.READER).contentType("application/json").body(body)
                .post("/v1/topics/orders/records").then().statusCode(403);
        assertThat(silt.transport().offsets("orders", 0)[1]).as("nothing written").isEqualTo(orders);
        assertThat(silt.transport().offsets("payments", 0)[1]).as("nothing written").isEqualTo(payments);

        http().header("Authorization", "Bearer " + AuthOnProfile.WRITER).contentType("application/json").body(body)
                .post("/v1/topics/orders/records").then().statusCode(200);
        assertThat(silt.transport().offsets("orders", 0)[1]).isEqualTo(orders + 1);
    }

    @Test
    void creatingATopicNeedsAdminOnTheNameInTheBody() {
        http().header("X-Api-Key", AuthOnProfile.WRITER).contentType("application/json")
                .body("{\"name\":\"orders-2\",\"partitions\":1}").post("/v1/topics")
                .then().statusCode(403).body("detail", containsString("admin permission"));
        assertThat(silt.client().admin().listTopics()).doesNotContain("orders-2");

        http().header("X-Api-Key", AuthOnProfile.ADMIN).contentType("application/json")
                .body("{\"name\":\"orders-2\",\"partitions\":1}").post("/v1/topics")
                .then().statusCode(201);
        assertThat(silt.client().admin().listTopics()).contains("orders-2");
    }

    @Test
    void listingNeedsOnlyAValidKey() {
        http().get("/v1/groups").then().statusCode(401);
        http().header("X-Api-Key", AuthOnProfile.ADMIN).get("/v1/groups").then().statusCode(200);
    }

    @Test
    void pagesHealthAndMetricsAreOutsideAuth() {
        http().get("/").then().statusCode(200);
        http().get("/q/health/live").then().statusCode(200);
    }
}
