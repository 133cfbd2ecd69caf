package io.silt.functions.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Auth on, with a few keys: one per kind of test. */
public class AuthOnProfile implements QuarkusTestProfile {
    static final String WRITER = "writer-secret-1111";
    static final String READER = "reader-secret-2222";
    static final String REVOKED = "revoked-secret-3333";
    static final String ADMIN = "admin-secret-4444";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "silt.auth.mode", "keys",
                "silt.auth.keys", "writer:" + WRITER + ":produce=orders;consume=orders;groups=billing "
                        + "reader:" + READER + ":consume=*;groups=reports "
                        + "old:" + REVOKED + ":produce=*;consume=*;admin=*;groups=* "
                        + "admin:" + ADMIN + ":admin=*",
                "silt.auth.revoked", "old");
    }
}
