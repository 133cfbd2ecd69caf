package io.silt.infra;

import java.util.List;
import software.amazon.awscdk.Duration;

/**
 * The Lambda functions of one deployment: one per handler of the {@code functions} zip, which picks its handler by
 * {@code QUARKUS_LAMBDA_HANDLER}. Each names what it does with the bucket, so its role gets only those S3 actions.
 */
public enum SiltFunction {
    /** Produce events (direct invocation): reads heads, writes segments and commit records. */
    PRODUCE("produce", S3Access.READ_WRITE, Duration.seconds(30)),
    /** Fetch events (direct invocation): reads only; a long poll waits at most silt.max-wait-ms (20 s). */
    FETCH("fetch", S3Access.READ, Duration.seconds(30)),
    /** Topic administration events: topic records are appended, never deleted (the compactor collects them). */
    ADMIN("admin", S3Access.READ_WRITE, Duration.seconds(30)),
    /** The REST API behind the HTTP API: group members leave and idempotency markers expire by DELETE. */
    HTTP("http", S3Access.READ_WRITE_DELETE, Duration.seconds(30)),
    /** Bucket compaction and garbage collection every 5 minutes (RFC 0008); the handler wants 15 minutes. */
    COMPACTION("compaction", S3Access.READ_WRITE_DELETE, Duration.minutes(15));

    /** What a function does with objects under the Silt prefix; every level also lists the prefix. */
    public enum S3Access {
        READ(List.of("s3:GetObject")),
        READ_WRITE(List.of("s3:GetObject", "s3:PutObject")),
        READ_WRITE_DELETE(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"));

        private final List<String> objectActions;

        S3Access(List<String> objectActions) {
            this.objectActions = objectActions;
        }

        /** The object actions, on {@code bucket/prefix*}; HEAD needs s3:GetObject, DeleteObjects s3:DeleteObject. */
        public List<String> objectActions() {
            return objectActions;
        }
    }

    private final String handler;
    private final S3Access access;
    private final Duration timeout;

    SiltFunction(String handler, S3Access access, Duration timeout) {
        this.handler = handler;
        this.access = access;
        this.timeout = timeout;
    }

    /** The {@code @Named} handler, the value of {@code QUARKUS_LAMBDA_HANDLER}. */
    public String handler() {
        return handler;
    }

    /** What the function does with the bucket. */
    public S3Access access() {
        return access;
    }

    /** The function's timeout. */
    public Duration timeout() {
        return timeout;
    }

    /** The construct id part: {@code Produce}, {@code Http}, ... */
    public String id() {
        return Character.toUpperCase(handler.charAt(0)) + handler.substring(1);
    }
}
