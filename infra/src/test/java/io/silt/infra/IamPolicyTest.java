package io.silt.infra;

import static io.silt.infra.Synthesized.at;
import static io.silt.infra.Synthesized.list;
import static io.silt.infra.Synthesized.resources;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.CfnElement;

/**
 * Least privilege, read from the template: each function's role may write its own log group and do with the bucket
 * only what its handler does, under the Silt prefix; no {@code *} action or resource anywhere in a role's policy.
 */
class IamPolicyTest {

    /** The policy statements attached to the role of the function that runs {@code f}. */
    private static List<Map<?, ?>> statementsOf(SiltFunction f) {
        String function = Synthesized.STACK.getLogicalId(
                (CfnElement) Synthesized.STACK.function(f).getNode().getDefaultChild());
        Object roleArn = at(resources("AWS::Lambda::Function").get(function), "Role", "Fn::GetAtt");
        String role = (String) ((List<?>) roleArn).get(0);
        List<Map<?, ?>> out = new ArrayList<>();
        resources("AWS::IAM::Policy").values().stream()
                .filter(p -> list(p.get("Roles")).contains(Map.of("Ref", role)))
                .forEach(p -> list(at(p, "PolicyDocument", "Statement")).forEach(s -> out.add((Map<?, ?>) s)));
        assertThat(out).as("statements of %s", f).isNotEmpty();
        return out;
    }

    private static TreeSet<String> s3Actions(List<Map<?, ?>> statements) {
        TreeSet<String> actions = new TreeSet<>();
        statements.forEach(s -> list(s.get("Action")).stream().map(String::valueOf).filter(a -> a.startsWith("s3:"))
                .forEach(actions::add));
        return actions;
    }

    @Test
    void noRoleHasAWildcardActionOrResource() {
        for (SiltFunction f : SiltFunction.values()) {
            for (Map<?, ?> s : statementsOf(f)) {
                assertThat(s.get("Effect")).isEqualTo("Allow");
                assertThat(list(s.get("Action"))).as("%s actions", f)
                        .allSatisfy(a -> assertThat(String.valueOf(a)).doesNotContain("*"));
                assertThat(list(s.get("Resource"))).as("%s resources", f).isNotEmpty()
                        .doesNotContain("*");
            }
        }
    }

    @Test
    void eachFunctionGetsOnlyTheS3ActionsItsHandlerUses() {
        assertThat(s3Actions(statementsOf(SiltFunction.FETCH))).containsExactly("s3:GetObject", "s3:ListBucket");
        assertThat(s3Actions(statementsOf(SiltFunction.PRODUCE)))
                .containsExactly("s3:GetObject", "s3:ListBucket", "s3:PutObject");
        assertThat(s3Actions(statementsOf(SiltFunction.ADMIN)))
                .containsExactly("s3:GetObject", "s3:ListBucket", "s3:PutObject");
        for (SiltFunction f : List.of(SiltFunction.HTTP, SiltFunction.COMPACTION)) {
            assertThat(s3Actions(statementsOf(f)))
                    .containsExactly("s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject");
        }
    }

    @Test
    void objectActionsAreLimitedToThePrefixAndListingCarriesAPrefixCondition() {
        String bucket = resources("AWS::S3::Bucket").keySet().iterator().next();
        Map<String, Object> bucketArn = Map.of("Fn::GetAtt", List.of(bucket, "Arn"));
        for (SiltFunction f : SiltFunction.values()) {
            for (Map<?, ?> s : statementsOf(f)) {
                List<Object> actions = list(s.get("Action"));
                if (actions.contains("s3:ListBucket")) {
                    assertThat(actions).containsExactly("s3:ListBucket");
                    assertThat(list(at(s, "Condition", "StringLike", "s3:prefix")))
                            .containsExactly(Synthesized.PREFIX + "*");
                    assertThat(s.get("Resource")).isEqualTo(bucketArn);
                } else if (actions.contains("s3:GetObject")) {
                    assertThat(s.get("Resource")).isEqualTo(
                            Map.of("Fn::Join", List.of("", List.of(bucketArn, "/" + Synthesized.PREFIX + "*"))));
                } else {
                    assertThat(actions).allSatisfy(a -> assertThat(String.valueOf(a)).startsWith("logs:"));
                    assertThat(String.valueOf(s.get("Resource"))).contains(f.id() + "Logs");
                }
            }
        }
    }
}
