package io.silt.infra;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * One Silt deployment: the bucket, a Lambda function per handler of the {@code functions} zip (Java 21, arm64,
 * SnapStart, invoked through the alias {@code live}), an HTTP API (or function URL) in front of the {@code http}
 * handler, the compaction schedule, a least-privilege role per function, log groups with two weeks' retention, and
 * alarms on errors, throttles and consumer lag that notify an SNS topic.
 */
public class SiltStack extends Stack {
    /** The Lambda handler class of every Quarkus function; the handler itself is chosen by environment. */
    public static final String QUARKUS_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    /** The alias every trigger invokes, so SnapStart's published version serves. */
    public static final String ALIAS = "live";
    /** Where the compaction handler's embedded-metric log lines put consumer lag. */
    public static final String METRICS_NAMESPACE = "Silt";
    /** The consumer lag metric: records not yet consumed, per function and per topic and group. */
    public static final String LAG_METRIC = "ConsumerLag";

    private final Map<SiltFunction, Function> functions = new EnumMap<>(SiltFunction.class);

    /** Provisions the deployment {@code settings} describe. */
    public SiltStack(Construct scope, String id, StackProps props, SiltSettings settings) {
        super(scope, id, props);
        IBucket bucket = bucket(settings);
        String prefix = settings.prefix();
        String storeUri = "s3://" + bucket.getBucketName()
                + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1)) + "?region=" + Aws.REGION;
        Topic alarms = Topic.Builder.create(this, "Alarms").displayName("Silt " + settings.stage() + " alarms").build();
        if (settings.alarmEmail() != null) {
            alarms.addSubscription(new EmailSubscription(settings.alarmEmail()));
        }

        Map<SiltFunction, Alias> aliases = new EnumMap<>(SiltFunction.class);
        for (SiltFunction f : SiltFunction.values()) {
            Function fn = function(f, settings, bucket, storeUri);
            Annotations.of(fn).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "the alias below publishes the current version");
            functions.put(f, fn);
            aliases.put(f, Alias.Builder.create(this, f.id() + "Live").aliasName(ALIAS)
                    .version(fn.getCurrentVersion()).build());
            alarm(f.id() + "Errors", fn.metricErrors(), 1, 1, alarms,
                    "the " + f.handler() + " function failed invocations");
            alarm(f.id() + "Throttles", fn.metricThrottles(), 1, 1, alarms,
                    "the " + f.handler() + " function was throttled (account concurrency exhausted)");
        }

        String apiUrl = api(settings, aliases.get(SiltFunction.HTTP));

        Rule.Builder.create(this, "CompactionSchedule")
                .description("Silt compaction and garbage collection (RFC 0008)")
                .schedule(Schedule.rate(Duration.minutes(settings.compactionMinutes())))
                .targets(List.of(LambdaFunction.Builder.create(aliases.get(SiltFunction.COMPACTION))
                        .retryAttempts(0).build()))
                .build();

        Metric lag = Metric.Builder.create().namespace(METRICS_NAMESPACE).metricName(LAG_METRIC)
                .dimensionsMap(Map.of("Function", functions.get(SiltFunction.COMPACTION).getFunctionName()))
                .statistic("Maximum").period(Duration.minutes(settings.compactionMinutes())).build();
        alarm("ConsumerLag", lag, settings.lagAlarmRecords(), 3, alarms, "a consumer group is "
                + settings.lagAlarmRecords() + " or more records behind (largest lag over topics and groups, measured by "
                + "every compaction run)");

        CfnOutput.Builder.create(this, "ApiUrl").value(apiUrl)
                .description("The Silt REST API: silt --url <ApiUrl> ...").build();
        CfnOutput.Builder.create(this, "BucketName").value(bucket.getBucketName()).build();
        CfnOutput.Builder.create(this, "StoreUri").value(storeUri)
                .description("The store for the SDK and CLI: Silt.connect(<StoreUri>), silt --store <StoreUri>")
                .build();
        CfnOutput.Builder.create(this, "AlarmTopic").value(alarms.getTopicArn()).build();
    }

    /** The function that runs {@code f}. */
    public Function function(SiltFunction f) {
        return functions.get(f);
    }

    /** The HTTP API or function URL in front of the http function; answers its URL. */
    private String api(SiltSettings settings, Alias http) {
        boolean iam = settings.authMode() == SiltSettings.AuthMode.IAM;
        if (settings.api() == SiltSettings.Api.URL) {
            return http.addFunctionUrl(FunctionUrlOptions.builder()
                    .authType(iam ? FunctionUrlAuthType.AWS_IAM : FunctionUrlAuthType.NONE).build()).getUrl();
        }
        return HttpApi.Builder.create(this, "Api")
                .apiName("silt-" + settings.stage())
                .description("The Silt REST API (RFC 0009), served by the http handler")
                .defaultIntegration(new HttpLambdaIntegration("Http", http))
                .defaultAuthorizer(iam ? new HttpIamAuthorizer() : null)
                .build()
                .getApiEndpoint();
    }

    private IBucket bucket(SiltSettings settings) {
        if (settings.existingBucket()) {
            return Bucket.fromBucketName(this, "Bucket", settings.bucketName());
        }
        return Bucket.Builder.create(this, "Bucket")
                .bucketName(settings.bucketName())
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(false)
                .removalPolicy(RemovalPolicy.RETAIN)
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("abort-incomplete-multipart-uploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build(),
                        // The service remembers an Idempotency-Key 24 h and sweeps its markers; this is the backstop.
                        LifecycleRule.builder().id("expire-idempotency-markers")
                                .prefix(settings.prefix() + "idempotency/").expiration(Duration.days(2)).build()))
                .build();
    }

    private Function function(SiltFunction f, SiltSettings settings, IBucket bucket, String storeUri) {
        LogGroup logs = LogGroup.Builder.create(this, f.id() + "Logs")
                .retention(RetentionDays.TWO_WEEKS).removalPolicy(RemovalPolicy.DESTROY).build();
        Role role = Role.Builder.create(this, f.id() + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Silt " + f.handler() + ": its log group and " + f.access() + " on " + settings.prefix())
                .build();
        logs.grantWrite(role);
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(f.access().objectActions())
                .resources(List.of(bucket.arnForObjects(settings.prefix() + "*")))
                .build());
        PolicyStatement.Builder list = PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(bucket.getBucketArn()));
        if (!settings.prefix().isEmpty()) {
            list.conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(settings.prefix() + "*"))));
        }
        role.addToPolicy(list.build());

        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_LAMBDA_HANDLER", f.handler());
        env.put("QUARKUS_PROFILE", "lambda");
        env.put("QUARKUS_HTTP_HOST_ENABLED", "false");
        env.put("SILT_STORE", storeUri);
        if (f != SiltFunction.COMPACTION) {
            // C1 only, as the service benchmark ran (docs/benchmarks-service.md): short requests gain nothing from C2.
            env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        }
        if (f == SiltFunction.HTTP) {
            env.putAll(auth(settings));
        }
        return Function.Builder.create(this, f.id())
                .description("Silt " + f.handler() + " (" + settings.stage() + ")")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(settings.functionZip()))
                .handler(QUARKUS_HANDLER)
                .memorySize(f == SiltFunction.COMPACTION ? settings.compactionMemoryMb() : settings.memoryMb())
                .timeout(f.timeout())
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .role(role)
                .logGroup(logs)
                .environment(env)
                .retryAttempts(0)
                .build();
    }

    /** How the http function checks callers: its API keys, or nothing when IAM (or nobody) guards the API. */
    private Map<String, String> auth(SiltSettings settings) {
        if (settings.authMode() != SiltSettings.AuthMode.KEYS) {
            return Map.of("SILT_AUTH_MODE", "off");
        }
        String keys = settings.authKeys();
        if (keys == null) {
            Secret secret = Secret.Builder.create(this, "AdminKey")
                    .description("The secret of the generated Silt API key 'admin' (" + settings.stage() + ")")
                    .generateSecretString(SecretStringGenerator.builder().passwordLength(40).excludePunctuation(true)
                            .build())
                    .build();
            keys = "admin:" + secret.getSecretValue().unsafeUnwrap() + ":produce=*;consume=*;admin=*;groups=*";
            CfnOutput.Builder.create(this, "AdminKeySecret").value(secret.getSecretArn())
                    .description("aws secretsmanager get-secret-value --secret-id <this> --query SecretString").build();
        }
        return Map.of("SILT_AUTH_MODE", "keys", "SILT_AUTH_KEYS", keys);
    }

    private void alarm(String id, Metric metric, double threshold, int periods, Topic topic, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
    }
}
