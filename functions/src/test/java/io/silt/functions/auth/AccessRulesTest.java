package io.silt.functions.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.silt.functions.auth.AccessRules.Need;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private static Need grant(Permission p, Resource r) {
        return new Need.Grant(p, r);
    }

    @Test
    void topicRoutes() {
        assertThat(AccessRules.of("GET", "/v1/topics", null)).isInstanceOf(Need.AnyKey.class);
        assertThat(AccessRules.of("POST", "/v1/topics", null)).isInstanceOf(Need.AdminOnBodyTopic.class);
        assertThat(AccessRules.of("GET", "/v1/topics/orders", null)).isEqualTo(new Need.AnyGrant(Resource.topic(
                "orders")));
        assertThat(AccessRules.of("PATCH", "/v1/topics/orders", null))
                .isEqualTo(grant(Permission.ADMIN, Resource.topic("orders")));
        assertThat(AccessRules.of("DELETE", "/v1/topics/orders", null))
                .isEqualTo(grant(Permission.ADMIN, Resource.topic("orders")));
        assertThat(AccessRules.of("POST", "/v1/topics/orders/purge", null))
                .isEqualTo(grant(Permission.ADMIN, Resource.topic("orders")));
    }

    @Test
    void produceAndConsumeRoutes() {
        assertThat(AccessRules.of("POST", "/v1/topics/orders/records", null))
                .isEqualTo(grant(Permission.PRODUCE, Resource.topic("orders")));
        assertThat(AccessRules.of("POST", "/v1/topics/orders/partitions/2/records", null))
                .isEqualTo(grant(Permission.PRODUCE, Resource.topic("orders")));
        assertThat(AccessRules.of("GET", "/v1/topics/orders/partitions/2/records", null))
                .isEqualTo(grant(Permission.CONSUME, Resource.topic("orders")));
        assertThat(AccessRules.of("GET", "/v1/topics/orders/partitions/2/offsets", null))
                .isEqualTo(grant(Permission.CONSUME, Resource.topic("orders")));
        assertThat(AccessRules.of("POST", "/v1/topics/orders/queues/work/receive", null))
                .isEqualTo(grant(Permission.CONSUME, Resource.topic("orders")));
    }

    @Test
    void groupAndStateRoutes() {
        assertThat(AccessRules.of("GET", "/v1/groups", null)).isInstanceOf(Need.AnyKey.class);
        assertThat(AccessRules.of("POST", "/v1/groups/billing/offsets", null))
                .isEqualTo(grant(Permission.CONSUME, Resource.group("billing")));
        assertThat(AccessRules.of("DELETE", "/v1/groups/billing", null))
                .isEqualTo(grant(Permission.CONSUME, Resource.group("billing")));
        assertThat(AccessRules.of("PUT", "/v1/state/groups/billing/log/00000000000000000001", null))
                .isEqualTo(grant(Permission.CONSUME, Resource.group("billing")));
        assertThat(AccessRules.of("GET", "/v1/state/queues/orders/work/x", null))
                .isEqualTo(grant(Permission.CONSUME, Resource.topic("orders")));
        assertThat(AccessRules.of("GET", "/v1/state", "groups/billing/members/"))
                .isEqualTo(grant(Permission.CONSUME, Resource.group("billing")));
        assertThat(AccessRules.of("GET", "/v1/state", "groups/")).isInstanceOf(Need.AnyKey.class);
    }

    @Test
    void compactionNeedsAValidKeyHere() {
        assertThat(AccessRules.of("GET", "/v1/compaction", null)).isInstanceOf(Need.AnyKey.class);
        assertThat(AccessRules.of("POST", "/v1/compaction", null)).isInstanceOf(Need.AnyKey.class);
    }

    @Test
    void namesArePercentDecodedAndOtherPathsAreOutsideAuth() {
        assertThat(AccessRules.of("POST", "/v1/topics/a%2Eb/records", null))
                .isEqualTo(grant(Permission.PRODUCE, Resource.topic("a.b")));
        assertThat(AccessRules.of("GET", "/", null)).isInstanceOf(Need.Nothing.class);
        assertThat(AccessRules.of("GET", "/q/health", null)).isInstanceOf(Need.Nothing.class);
        assertThat(AccessRules.of("GET", "/v1/whatever", null)).isInstanceOf(Need.AnyKey.class);
    }
}
