package io.silt.infra;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import software.constructs.Node;

/**
 * The knobs of a deployment, from CDK context ({@code cdk deploy -c prefix=silt/ -c stage=prod ...}, or
 * {@code cdk.json}). Every one has a default, so a bare {@code cdk deploy} works.
 *
 * @param stage           names the stack ({@code Silt-<stage>}) and its resources; default {@code dev}
 * @param bucketName      the bucket's name; null lets CloudFormation choose one
 * @param existingBucket  whether {@code bucketName} names a bucket that exists already (not created, not managed)
 * @param prefix          the key prefix under which Silt keeps everything, ending in {@code /}; default {@code silt/}
 * @param memoryMb        memory of the request-serving functions (produce, fetch, admin, http); default 512
 * @param compactionMemoryMb memory of the compaction function; default 1024
 * @param api             what fronts the {@code http} function: an API Gateway HTTP API or a Lambda function URL
 * @param authMode        who may call the API
 * @param authKeys        API keys ({@code silt.auth.keys} syntax, ideally with {@code sha256:} secrets); null in
 *                        mode {@code keys} makes the stack generate one admin key in Secrets Manager
 * @param functionZip     the {@code functions} module's {@code function.zip}
 * @param compactionMinutes how often compaction runs (and consumer lag is measured); default 5. RFC 0008: an idle
 *                        bucket's runs cost requests, so mostly idle deployments run it every 15 to 60 minutes
 * @param lagAlarmRecords consumer lag, in records, from which the lag alarm fires; default 100000
 * @param alarmEmail      an address the alarm topic mails (after the address confirms); null: none
 */
public record SiltSettings(String stage, String bucketName, boolean existingBucket, String prefix, int memoryMb,
                           int compactionMemoryMb, Api api, AuthMode authMode, String authKeys, String functionZip,
                           int compactionMinutes, long lagAlarmRecords, String alarmEmail) {

    /** What fronts the {@code http} function. */
    public enum Api {
        /** An API Gateway HTTP API ($1 per million requests, 30 s per request); the default. */
        HTTP,
        /** A Lambda function URL (no API Gateway; also runs on LocalStack's free edition, which has no HTTP API). */
        URL;

        /** The front named {@code http} or {@code url}. */
        public static Api of(String name) {
            return choice(Api.class, "api", name);
        }
    }

    /** Who may call the API. */
    public enum AuthMode {
        /** The service's API keys ({@code Authorization: Bearer} or {@code X-Api-Key}); the default. */
        KEYS,
        /** AWS IAM: SigV4-signed requests (the HTTP API's IAM authorizer, the URL's AWS_IAM); no key check. */
        IAM,
        /** Nobody is asked anything: only for a throwaway stack (LocalStack). */
        OFF;

        /** The mode named {@code keys}, {@code iam} or {@code off}. */
        public static AuthMode of(String name) {
            return choice(AuthMode.class, "authMode", name);
        }
    }

    /** The default location of the Lambda zip, relative to {@code infra/} (where {@code cdk} runs). */
    public static final String DEFAULT_FUNCTION_ZIP = "../functions/target/function.zip";

    public SiltSettings {
        if (!stage.matches("[A-Za-z0-9-]{1,32}")) {
            throw new IllegalArgumentException("stage must be 1 to 32 letters, digits or '-', not '" + stage + "'");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (prefix.startsWith("/") || prefix.contains("*")) {
            throw new IllegalArgumentException("prefix must not start with '/' nor contain '*': '" + prefix + "'");
        }
        if (existingBucket && bucketName == null) {
            throw new IllegalArgumentException("existingBucket=true needs bucketName");
        }
        if (memoryMb < 128 || memoryMb > 10240 || compactionMemoryMb < 128 || compactionMemoryMb > 10240) {
            throw new IllegalArgumentException("memory must be 128 to 10240 MB");
        }
        if (compactionMinutes < 1 || compactionMinutes > 1440) {
            throw new IllegalArgumentException("compactionMinutes must be 1 to 1440, not " + compactionMinutes);
        }
        if (authKeys != null && authMode != AuthMode.KEYS) {
            throw new IllegalArgumentException("authKeys is only used with authMode=keys");
        }
    }

    /**
     * The settings from context keys {@code stage}, {@code bucketName}, {@code existingBucket}, {@code prefix},
     * {@code memory}, {@code compactionMemory}, {@code api}, {@code authMode}, {@code authKeys}, {@code functionZip},
     * {@code compactionMinutes}, {@code lagAlarmRecords}, {@code alarmEmail}; the zip also from the system property
     * {@code silt.function.zip}.
     */
    public static SiltSettings fromContext(Node node) {
        return new SiltSettings(
                text(node, "stage", "dev"),
                text(node, "bucketName", null),
                Boolean.parseBoolean(text(node, "existingBucket", "false")),
                text(node, "prefix", "silt/"),
                Integer.parseInt(text(node, "memory", "512")),
                Integer.parseInt(text(node, "compactionMemory", "1024")),
                Api.of(text(node, "api", "http")),
                AuthMode.of(text(node, "authMode", "keys")),
                text(node, "authKeys", null),
                text(node, "functionZip", System.getProperty("silt.function.zip", DEFAULT_FUNCTION_ZIP)),
                Integer.parseInt(text(node, "compactionMinutes", "5")),
                Long.parseLong(text(node, "lagAlarmRecords", "100000")),
                text(node, "alarmEmail", null));
    }

    /** The constant of {@code type} that {@code name} names, in any case. */
    private static <E extends Enum<E>> E choice(Class<E> type, String knob, String name) {
        try {
            return Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(knob + " must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                    + ", not '" + name + "'", e);
        }
    }

    private static String text(Node node, String key, String otherwise) {
        Object v = node.tryGetContext(key);
        return v == null || v.toString().isBlank() ? otherwise : v.toString();
    }
}
