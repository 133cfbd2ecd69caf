package io.silt.storage.internal;

import io.silt.storage.InvalidKeyException;
import io.silt.storage.ObjectStoreException;
import io.silt.storage.StoreAccessDeniedException;
import io.silt.storage.StoreConfigurationException;
import io.silt.storage.StoreUnavailableException;
import io.silt.storage.StoreUnavailableException.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Turns AWS SDK exceptions into Silt's {@link ObjectStoreException} hierarchy, with messages that name the store,
 * the operation and the key. Not API: used by {@link io.silt.storage.S3ObjectStore}.
 *
 * <p>The messages never contain credentials: they are built from the store description, the key, the HTTP status,
 * the S3 error code and the server's error message (S3 error messages do not echo secrets).
 */
public final class S3Errors {
    private static final Set<String> ACCESS_CODES = Set.of("AccessDenied", "InvalidAccessKeyId",
            "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "AllAccessDisabled",
            "AccountProblem", "InvalidSecurity", "RequestTimeTooSkewed");
    private static final Set<String> REGION_CODES = Set.of("PermanentRedirect", "TemporaryRedirect",
            "AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "InvalidRegion");
    private static final Set<String> THROTTLE_CODES = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "RequestLimitExceeded", "TooManyRequests", "ServiceUnavailable");

    private final String store;
    private final String bucket;

    /**
     * @param store the store's description, e.g. {@code s3://bucket/prefix}
     * @param bucket the bucket name
     */
    public S3Errors(String store, String bucket) {
        this.store = store;
        this.bucket = bucket;
    }

    /** The HTTP status of a service error, or -1 for a client-side failure. */
    public static int status(Throwable e) {
        return e instanceof SdkServiceException s ? s.statusCode() : -1;
    }

    /** The S3 error code ({@code NoSuchKey}, {@code SlowDown}, ...) or {@code ""} if there is none. */
    public static String code(Throwable e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null
                && a.awsErrorDetails().errorCode() != null) {
            return a.awsErrorDetails().errorCode();
        }
        return "";
    }

    /** Whether the service said "slow down" in a way that guarantees the request was not carried out. */
    public static boolean isThrottle(Throwable e) {
        int status = status(e);
        return status == 429 || (status == 503 && THROTTLE_CODES.contains(code(e)));
    }

    /**
     * Whether a failed request certainly did not reach the server (connection refused, unknown host), so that a
     * write certainly did not happen. An I/O error after the connection was made, or a timeout, says nothing.
     */
    public static boolean certainlyNotSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return isMissingCredentials(e) || bodyNotDelivered(e);
    }

    /**
     * Whether the request body certainly did not reach the server in full: the JDK's HTTP client failed while
     * writing it ("Error writing request body to server"). This is what a pooled keep-alive connection that the
     * server has already closed looks like (S3Proxy closes connections after some early error answers without
     * saying so). A PUT whose body was not delivered in full cannot have written anything.
     */
    public static boolean bodyNotDelivered(Throwable e) {
        if (!(e instanceof SdkClientException)) {
            return false;
        }
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof IOException && t.getMessage() != null
                    && t.getMessage().startsWith("Error writing request body to server")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the failure looks like a keep-alive connection that the server had already closed: the body could
     * not be written, or the answer ended before it began ("Unexpected end of file from server", a reset). Only
     * {@link #bodyNotDelivered} proves that nothing was written; the others are safe to resend only for requests
     * whose repetition is harmless (a plain PUT of the same bytes).
     */
    public static boolean staleConnection(Throwable e) {
        if (!(e instanceof SdkClientException) || e instanceof ApiCallTimeoutException
                || e instanceof ApiCallAttemptTimeoutException) {
            return false;
        }
        if (bodyNotDelivered(e)) {
            return true;
        }
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            String m = t.getMessage();
            if (t instanceof IOException && m != null && (m.startsWith("Unexpected end of file from server")
                    || m.startsWith("Connection reset") || m.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether this is the SDK failing to find credentials before it sent anything. */
    public static boolean isMissingCredentials(Throwable e) {
        return e instanceof SdkClientException && !(e instanceof ApiCallTimeoutException)
                && e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials")
                && !hasCause(e, IOException.class);
    }

    /**
     * Maps an exception the SDK threw for {@code operation} on {@code key} (the caller's key, without the store's
     * prefix; {@code null} for bucket-level operations).
     */
    public ObjectStoreException map(String operation, String key, Throwable e) {
        String what = operation + (key == null ? "" : " '" + key + "'") + " on " + store;
        if (e instanceof ObjectStoreException o) {
            return o;
        }
        if (e instanceof SdkServiceException s) {
            return mapService(what, s);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException
                || hasCause(e, SocketTimeoutException.class) || hasCause(e, InterruptedIOException.class)) {
            return new StoreUnavailableException(Reason.TIMEOUT, what + " timed out: " + e.getMessage(), e);
        }
        if (isMissingCredentials(e)) {
            return new StoreConfigurationException(what + " failed: no credentials found. Set SILT_S3_ACCESS_KEY"
                    + " and SILT_S3_SECRET_KEY, or configure the AWS default provider chain (environment, profile,"
                    + " instance role). " + e.getMessage(), e);
        }
        if (hasCause(e, IOException.class) || e instanceof UncheckedIOException) {
            String hint = certainlyNotSent(e) ? " (could not connect; is the endpoint right and the server up?)" : "";
            return new StoreUnavailableException(Reason.IO, what + " failed with an I/O error" + hint + ": "
                    + e.getMessage(), e);
        }
        if (e instanceof SdkClientException) {
            // Response parsing, request marshalling, a configuration the SDK rejects: not transient.
            return new ObjectStoreException(what + " failed in the S3 client: " + e.getMessage(), e);
        }
        return new ObjectStoreException(what + " failed: " + e, e);
    }

    private ObjectStoreException mapService(String what, SdkServiceException e) {
        int status = e.statusCode();
        String code = code(e);
        String detail = detail(e);
        if (status == 403 || ACCESS_CODES.contains(code)) {
            return new StoreAccessDeniedException("access denied: " + what + " answered " + detail
                    + ". Check the credentials (SILT_S3_ACCESS_KEY / SILT_S3_SECRET_KEY, or the AWS default provider"
                    + " chain) and that they may use bucket '" + bucket + "' (s3:GetObject, s3:PutObject,"
                    + " s3:DeleteObject, s3:ListBucket; without s3:ListBucket a missing key answers 403, not 404)",
                    e);
        }
        if ("NoSuchBucket".equals(code)) {
            return new StoreConfigurationException("bucket '" + bucket + "' does not exist: " + what + " answered "
                    + detail + ". Create the bucket or fix the store URI", e);
        }
        if (status == 301 || status == 307 || REGION_CODES.contains(code)) {
            return new StoreConfigurationException(what + " answered " + detail + ": bucket '" + bucket
                    + "' is probably in another region or needs another endpoint; set region= (or endpoint=) in the"
                    + " store URI", e);
        }
        if ("KeyTooLongError".equals(code)) {
            return new InvalidKeyException(what + " answered " + detail + ": the key is too long");
        }
        if (status == 409) {
            return new StoreUnavailableException(Reason.CONFLICT, what + " answered " + detail
                    + ": a concurrent conditional write on the same key; re-read and retry", e);
        }
        if (isThrottle(e) || status == 503) {
            return new StoreUnavailableException(Reason.THROTTLED, what + " was throttled: " + detail, e);
        }
        if ("RequestTimeout".equals(code) || status == 408) {
            return new StoreUnavailableException(Reason.TIMEOUT, what + " timed out on the server: " + detail, e);
        }
        if (status >= 500) {
            return new StoreUnavailableException(Reason.SERVER_ERROR, what + " failed on the server: " + detail, e);
        }
        return new ObjectStoreException(what + " was refused: " + detail, e);
    }

    private static String detail(SdkServiceException e) {
        StringBuilder sb = new StringBuilder("HTTP ").append(e.statusCode());
        String code = code(e);
        if (!code.isEmpty()) {
            sb.append(' ').append(code);
        }
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null
                && a.awsErrorDetails().errorMessage() != null && !a.awsErrorDetails().errorMessage().isBlank()) {
            sb.append(" (").append(a.awsErrorDetails().errorMessage()).append(')');
        }
        if (e.requestId() != null && !e.requestId().isBlank()) {
            sb.append(" [request id ").append(e.requestId()).append(']');
        }
        return sb.toString();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
