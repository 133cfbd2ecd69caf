package io.silt.functions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.silt.functions.SiltRuntime;
import io.silt.functions.auth.AccessRules;
import io.silt.functions.auth.Permission;
import io.silt.functions.auth.Resource;
import io.silt.functions.reliability.HttpProbe.Request;
import io.silt.functions.reliability.RestRoutes.Route;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access control on every route of the REST API ({@link RestRoutes}), with {@code silt.auth.mode=keys}: without a
 * key, with a wrong or a revoked key, a 401; with a key that has every permission but the one the route needs
 * ({@link AccessRules}), a 403; each a problem that writes nothing. No secret appears in an answer's body or
 * headers, nor in anything logged (at every level), refusals included.
 */
@QuarkusTest
@TestProfile(AccessProfile.class)
class AccessControlTest {
    @TestHTTPResource("/")
    URL base;

    @Inject
    SiltRuntime silt;

    private HttpProbe probe;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()) + " "
                    + record.getThrown());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void fixturesAndLogCapture() {
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("io.silt").setLevel(Level.ALL);
        probe = new HttpProbe(base, silt.store());
        Fixtures.create(probe, bearer(AccessProfile.FULL));
    }

    @AfterEach
    void noSecretLogged() {
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger("io.silt").setLevel(null);
        assertThat(logged).isNotEmpty();
        for (String line : logged) {
            assertThat(line).doesNotContain(AccessProfile.ALL);
        }
    }

    private static Map<String, String> bearer(String secret) {
        return Map.of("Authorization", "Bearer " + secret);
    }

    /** A request the route would accept but for its key: a plausible JSON body where it reads one. */
    private static Request request(Route r, Map<String, String> auth) {
        Map<String, String> h = new java.util.HashMap<>(auth);
        h.put("Content-Type", "application/json");
        byte[] body = r.takesBody() ? "{\"name\":\"orders\",\"partitions\":1,\"records\":[{\"value\":\"x\"}]}"
                .getBytes(StandardCharsets.UTF_8) : null;
        return new Request(r.method(), r.path(), h, body);
    }

    /** The key with every permission but the one {@code route} needs; null if any valid key may use it. */
    static String lacking(Route route) {
        if (route.method().equals("POST") && route.template().equals("/v1/compaction")) {
            return AccessProfile.NO_ADMIN; // admin on every topic, checked by CompactionAdminFilter
        }
        AccessRules.Need need = AccessRules.of(route.method(), route.path(), null);
        if (need instanceof AccessRules.Need.Grant g) {
            if (g.resource().kind() == Resource.Kind.GROUP) {
                return AccessProfile.NO_GROUPS;
            }
            return g.permission() == Permission.PRODUCE ? AccessProfile.NO_PRODUCE
                    : g.permission() == Permission.CONSUME ? AccessProfile.NO_CONSUME : AccessProfile.NO_ADMIN;
        }
        if (need instanceof AccessRules.Need.AnyGrant) {
            return AccessProfile.OTHER_TOPIC;
        }
        if (need instanceof AccessRules.Need.AdminOnBodyTopic) {
            return AccessProfile.NO_ADMIN;
        }
        assertThat(need).as("%s is under auth", route).isInstanceOf(AccessRules.Need.AnyKey.class);
        return null;
    }

    @Test
    void everyRouteRefusesMissingWrongRevokedAndInsufficientKeysAndWritesNothing() {
        int refusals = 0;
        int anyKeyRoutes = 0;
        for (Route route : RestRoutes.all()) {
            Map<String, Map<String, String>> unauthenticated = Map.of(
                    "no key", Map.of(),
                    "a wrong key", bearer(AccessProfile.WRONG),
                    "a revoked key", bearer(AccessProfile.REVOKED),
                    "a revoked X-Api-Key", Map.of("X-Api-Key", AccessProfile.REVOKED));
            for (Map.Entry<String, Map<String, String>> e : unauthenticated.entrySet()) {
                noSecretIn(probe.refused(e.getKey() + " on " + route, request(route, e.getValue()), 401));
                refusals++;
            }
            String lacking = lacking(route);
            if (lacking == null) {
                anyKeyRoutes++;
                continue;
            }
            noSecretIn(probe.refused("a key lacking the permission on " + route, request(route, bearer(lacking)),
                    403));
            refusals++;
        }
        System.getLogger(AccessControlTest.class.getName()).log(System.Logger.Level.INFO,
                "access control: {0} routes, {1} refusals checked, {2} routes open to any valid key",
                RestRoutes.all().size(), refusals, anyKeyRoutes);
        assertThat(anyKeyRoutes).isLessThan(RestRoutes.all().size() / 3);
    }

    private static void noSecretIn(HttpProbe.Answer a) {
        assertThat(a.body() + " " + a.headers()).doesNotContain(AccessProfile.ALL);
    }
}
