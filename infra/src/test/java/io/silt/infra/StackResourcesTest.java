package io.silt.infra;

import static io.silt.infra.Synthesized.TEMPLATE;
import static io.silt.infra.Synthesized.at;
import static io.silt.infra.Synthesized.resources;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The synthesized stack has every resource a deployment needs, configured as documented in docs/deployment.md. */
class StackResourcesTest {
    private static final int FUNCTIONS = SiltFunction.values().length;

    @Test
    void theTemplateIsWrittenWhereCdkSynthWritesIt() throws IOException {
        assertThat(Synthesized.OUT.resolve("Silt-" + Synthesized.STAGE + ".template.json")).isRegularFile();
        assertThat(Synthesized.OUT.resolve("manifest.json")).isRegularFile();
        try (var files = Files.list(Synthesized.OUT)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("asset."));
        }
    }

    @Test
    void theBucketIsEncryptedPrivateTlsOnlyUnversionedAndRetained() {
        TEMPLATE.resourceCountIs("AWS::S3::Bucket", 1);
        TEMPLATE.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "VersioningConfiguration", Match.absent()));
        TEMPLATE.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
        TEMPLATE.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Action", "s3:*", "Principal", Map.of("AWS", "*"),
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void lifecycleAbortsIncompleteUploadsAndExpiresIdempotencyMarkers() {
        TEMPLATE.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules", List.of(
                Map.of("Id", "abort-incomplete-multipart-uploads", "Status", "Enabled",
                        "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1)),
                Map.of("Id", "expire-idempotency-markers", "Status", "Enabled",
                        "Prefix", Synthesized.PREFIX + "idempotency/", "ExpirationInDays", 2)))));
    }

    @Test
    void everyFunctionIsJava21OnArmWithSnapStartFromTheFunctionsZip() {
        TEMPLATE.resourceCountIs("AWS::Lambda::Function", FUNCTIONS);
        TEMPLATE.allResourcesProperties("AWS::Lambda::Function", Map.of(
                "Runtime", "java21",
                "Architectures", List.of("arm64"),
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "Handler", SiltStack.QUARKUS_HANDLER,
                "Code", Map.of("S3Bucket", Match.anyValue(), "S3Key", Match.stringLikeRegexp("^[0-9a-f]{64}\\.zip$")),
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "QUARKUS_PROFILE", "lambda",
                        "QUARKUS_HTTP_HOST_ENABLED", "false",
                        "SILT_STORE", Match.anyValue())))));
        TEMPLATE.resourceCountIs("AWS::Lambda::Version", FUNCTIONS);
        TEMPLATE.resourceCountIs("AWS::Lambda::Alias", FUNCTIONS);
        TEMPLATE.allResourcesProperties("AWS::Lambda::Alias", Map.of("Name", SiltStack.ALIAS));
    }

    @Test
    void memoryAndTimeoutFollowWhatEachHandlerNeeds() {
        for (SiltFunction f : SiltFunction.values()) {
            TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of(
                    "Environment", Map.of("Variables", Match.objectLike(Map.of("QUARKUS_LAMBDA_HANDLER", f.handler()))),
                    "MemorySize", f == SiltFunction.COMPACTION ? 1024 : 512,
                    "Timeout", f == SiltFunction.COMPACTION ? 900 : 30));
            TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of("Environment", Map.of("Variables",
                    Match.objectLike(Map.of("QUARKUS_LAMBDA_HANDLER", f.handler(), "JAVA_TOOL_OPTIONS",
                            f == SiltFunction.COMPACTION ? Match.absent()
                                    : "-XX:+TieredCompilation -XX:TieredStopAtLevel=1")))));
        }
    }

    @Test
    void theStoreUriNamesTheBucketPrefixAndRegion() {
        Object store = at(resources("AWS::Lambda::Function").values().iterator().next(),
                "Environment", "Variables", "SILT_STORE");
        String joined = String.valueOf(store);
        assertThat(joined).contains("s3://").contains("/silt?region=").contains("AWS::Region");
        TEMPLATE.hasOutput("StoreUri", Map.of("Value", store));
    }

    @Test
    void everyFunctionLogsToItsOwnGroupKeptTwoWeeks() {
        TEMPLATE.resourceCountIs("AWS::Logs::LogGroup", FUNCTIONS);
        TEMPLATE.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 14));
        TEMPLATE.allResourcesProperties("AWS::Lambda::Function", Map.of("LoggingConfig",
                Map.of("LogGroup", Map.of("Ref", Match.stringLikeRegexp("Logs")))));
    }

    @Test
    void theHttpApiSendsEveryRouteToTheHttpAliasWithTheServicesApiKeys() {
        TEMPLATE.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP"));
        // The service checks the API keys itself: API Gateway lets every request through to it.
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of("RouteKey", "$default",
                "AuthorizationType", "NONE"));
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of("IntegrationType", "AWS_PROXY",
                "PayloadFormatVersion", "2.0",
                "IntegrationUri", Map.of("Ref", Match.stringLikeRegexp("^HttpLive"))));
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("StageName", "$default",
                "AutoDeploy", true));
        // Auth mode keys without authKeys: one generated admin key, resolved from Secrets Manager at deploy time.
        TEMPLATE.resourceCountIs("AWS::SecretsManager::Secret", 1);
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of("Environment", Map.of("Variables",
                Match.objectLike(Map.of("QUARKUS_LAMBDA_HANDLER", "http", "SILT_AUTH_MODE", "keys",
                        "SILT_AUTH_KEYS", Map.of("Fn::Join", List.of("", List.of(
                                "admin:{{resolve:secretsmanager:", Map.of("Ref", Match.stringLikeRegexp("^AdminKey")),
                                ":SecretString:::}}:produce=*;consume=*;admin=*;groups=*"))))))));
        TEMPLATE.hasOutput("ApiUrl", Map.of());
        TEMPLATE.hasOutput("AdminKeySecret", Map.of());
    }

    @Test
    void compactionRunsEveryFiveMinutesThroughItsAlias() {
        TEMPLATE.resourceCountIs("AWS::Events::Rule", 1);
        TEMPLATE.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "rate(5 minutes)",
                "State", "ENABLED",
                "Targets", List.of(Match.objectLike(Map.of("Arn", Map.of("Ref", Match.stringLikeRegexp(
                        "^CompactionLive")), "RetryPolicy", Map.of("MaximumRetryAttempts", 0))))));
        TEMPLATE.hasResourceProperties("AWS::Lambda::Permission", Map.of("Principal", "events.amazonaws.com",
                "FunctionName", Map.of("Ref", Match.stringLikeRegexp("^CompactionLive"))));
    }

    @Test
    void alarmsWatchErrorsThrottlesAndConsumerLagAndNotifyTheTopic() {
        TEMPLATE.resourceCountIs("AWS::CloudWatch::Alarm", 2 * FUNCTIONS + 1);
        for (String metric : List.of("Errors", "Throttles")) {
            assertThat(resources("AWS::CloudWatch::Alarm").values())
                    .filteredOn(a -> metric.equals(a.get("MetricName")))
                    .hasSize(FUNCTIONS)
                    .allSatisfy(a -> assertThat(a).containsEntry("Namespace", "AWS/Lambda")
                            .containsEntry("Threshold", 1));
        }
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", SiltStack.METRICS_NAMESPACE, "MetricName", SiltStack.LAG_METRIC,
                "Statistic", "Maximum", "Period", 300, "Threshold", 100000, "EvaluationPeriods", 3,
                "Dimensions", List.of(Map.of("Name", "Function", "Value", Map.of("Ref",
                        Match.stringLikeRegexp("^Compaction[0-9A-F]"))))));
        TEMPLATE.allResourcesProperties("AWS::CloudWatch::Alarm", Map.of(
                "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("^Alarms"))),
                "TreatMissingData", "notBreaching"));
        TEMPLATE.resourceCountIs("AWS::SNS::Topic", 1);
    }

    @Test
    void outputsTellTheApiUrlBucketAndStoreUri() {
        assertThat(TEMPLATE.findOutputs("*").keySet())
                .contains("ApiUrl", "BucketName", "StoreUri", "AlarmTopic");
    }
}
