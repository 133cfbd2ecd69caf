package io.silt.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The knobs change what they say: existing bucket, prefix, function URL, IAM auth, given keys, memory, e-mail. */
class VariantsTest {

    @Test
    void anExistingBucketIsUsedNotCreatedAndAnEmptyPrefixMeansTheWholeBucket() {
        Synthesized.URL_IAM.resourceCountIs("AWS::S3::Bucket", 0);
        Synthesized.URL_IAM.resourceCountIs("AWS::S3::BucketPolicy", 0);
        Synthesized.URL_IAM.allResourcesProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Map.of("Effect", "Allow", "Action", "s3:ListBucket",
                        "Resource", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                ":s3:::my-bucket")))))))));
        assertThat(String.valueOf(Synthesized.URL_IAM.toJSON())).contains(":s3:::my-bucket/*")
                .doesNotContain("s3:prefix");
        Synthesized.URL_IAM.hasOutput("StoreUri", Map.of("Value", Map.of("Fn::Join", List.of("",
                List.of("s3://my-bucket?region=", Map.of("Ref", "AWS::Region"))))));
    }

    @Test
    void aFunctionUrlWithIamAuthReplacesTheHttpApi() {
        Synthesized.URL_IAM.resourceCountIs("AWS::ApiGatewayV2::Api", 0);
        Synthesized.URL_IAM.resourceCountIs("AWS::Lambda::Url", 1);
        Synthesized.URL_IAM.hasResourceProperties("AWS::Lambda::Url", Map.of("AuthType", "AWS_IAM",
                "TargetFunctionArn", Match.anyValue(), "Qualifier", SiltStack.ALIAS));
        Synthesized.URL_IAM.resourceCountIs("AWS::SecretsManager::Secret", 0);
        Synthesized.URL_IAM.hasResourceProperties("AWS::Lambda::Function", Map.of("Environment", Map.of(
                "Variables", Match.objectLike(Map.of("QUARKUS_LAMBDA_HANDLER", "http", "SILT_AUTH_MODE", "off")))));
    }

    @Test
    void iamAuthOnTheHttpApiSignsEveryRoute() {
        Synthesized.HTTP_IAM.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of("RouteKey", "$default",
                "AuthorizationType", "AWS_IAM"));
        Synthesized.HTTP_IAM.resourceCountIs("AWS::SecretsManager::Secret", 0);
    }

    @Test
    void givenKeysGoToTheHttpFunctionAsTheyAreAndMemoryEmailAndCompactionIntervalAreApplied() {
        Synthesized.GIVEN_KEYS.resourceCountIs("AWS::SecretsManager::Secret", 0);
        Synthesized.GIVEN_KEYS.hasResourceProperties("AWS::Lambda::Function", Map.of("MemorySize", 2048,
                "Environment", Map.of("Variables", Match.objectLike(Map.of("QUARKUS_LAMBDA_HANDLER", "http",
                        "SILT_AUTH_MODE", "keys", "SILT_AUTH_KEYS", Synthesized.KEYS)))));
        Synthesized.GIVEN_KEYS.hasResourceProperties("AWS::Lambda::Function", Map.of("MemorySize", 1024,
                "Environment", Map.of("Variables", Match.objectLike(Map.of("QUARKUS_LAMBDA_HANDLER", "compaction")))));
        Synthesized.GIVEN_KEYS.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email",
                "Endpoint", "ops@example.com"));
        Synthesized.GIVEN_KEYS.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression",
                "rate(15 minutes)"));
        Synthesized.GIVEN_KEYS.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName",
                SiltStack.LAG_METRIC, "Period", 900));
    }
}
