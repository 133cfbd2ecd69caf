package io.silt.functions.reliability;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Auth on; besides a key with every permission, one key lacking each permission, one for another topic only. */
public class AccessProfile implements QuarkusTestProfile {
    static final String FULL = "full-secret-a1b2c3";
    static final String NO_PRODUCE = "noproduce-secret-d4e5f6";
    static final String NO_CONSUME = "noconsume-secret-g7h8i9";
    static final String NO_ADMIN = "noadmin-secret-j1k2l3";
    static final String NO_GROUPS = "nogroups-secret-m4n5o6";
    static final String OTHER_TOPIC = "other-secret-p7q8r9";
    static final String REVOKED = "revoked-secret-s1t2u3";
    static final String WRONG = "wrong-secret-v4w5x6";
    static final String[] ALL = {FULL, NO_PRODUCE, NO_CONSUME, NO_ADMIN, NO_GROUPS, OTHER_TOPIC, REVOKED, WRONG};

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "silt.auth.mode", "keys",
                "silt.auth.keys", String.join(" ",
                        "full:" + FULL + ":produce=*;consume=*;admin=*;groups=*",
                        "noproduce:" + NO_PRODUCE + ":consume=*;admin=*;groups=*",
                        "noconsume:" + NO_CONSUME + ":produce=*;admin=*;groups=*",
                        "noadmin:" + NO_ADMIN + ":produce=*;consume=*;groups=*",
                        "nogroups:" + NO_GROUPS + ":produce=*;consume=*;admin=*",
                        "other:" + OTHER_TOPIC + ":produce=other;consume=other;admin=other;groups=other",
                        "old:" + REVOKED + ":produce=*;consume=*;admin=*;groups=*"),
                "silt.auth.revoked", "old");
    }
}
