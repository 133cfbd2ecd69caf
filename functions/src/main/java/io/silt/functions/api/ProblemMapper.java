package io.silt.functions.api;

import io.silt.client.AuthorizationException;
import io.silt.client.CommitFailedException;
import io.silt.client.CorruptDataException;
import io.silt.client.InvalidRequestException;
import io.silt.client.OffsetOutOfRangeException;
import io.silt.client.ProducerFencedException;
import io.silt.client.RecordTooLargeException;
import io.silt.client.SiltException;
import io.silt.client.StoreUnavailableException;
import io.silt.client.TopicExistsException;
import io.silt.client.UnknownTopicException;
import io.silt.client.BufferExhaustedException;
import io.silt.client.RetriableSiltException;
import io.silt.client.internal.Errors;
import jakarta.ws.rs.WebApplicationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * Maps every failure to a problem response with the right status. Messages of Silt's own exceptions are written for
 * users and say what was wrong; unexpected failures are logged and answered 500 without internals.
 */
public final class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private ProblemMapper() {}

    /** The response for {@code t}; never throws. */
    public static Response toResponse(Throwable t, String instance) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause(); // an asynchronous resource's failure
        }
        if (t instanceof WebApplicationException w && !(w.getCause() instanceof SiltException)) {
            int status = w.getResponse().getStatus();
            if (w.getResponse().hasEntity() && w.getResponse().getEntity() instanceof Problem) {
                return w.getResponse();
            }
            return problem(status, kindOf(status), reason(status), w.getMessage(), instance);
        }
        SiltException e = Errors.translate(t instanceof WebApplicationException && t.getCause() != null
                ? t.getCause() : t);
        if (e instanceof UnknownTopicException) {
            return problem(404, "unknown-topic", "Unknown topic", e.getMessage(), instance);
        }
        if (e instanceof TopicExistsException) {
            return problem(409, "topic-exists", "Topic exists with other settings", e.getMessage(), instance);
        }
        if (e instanceof ProducerFencedException) {
            return problem(409, "producer-fenced", "Producer fenced", e.getMessage(), instance);
        }
        if (e instanceof CommitFailedException) {
            return problem(409, "commit-failed", "Offset commit rejected", e.getMessage(), instance);
        }
        if (e instanceof RecordTooLargeException) {
            return problem(413, "too-large", "Record or batch too large", e.getMessage(), instance);
        }
        if (e instanceof OffsetOutOfRangeException) {
            return problem(416, "offset-out-of-range", "Offset out of range", e.getMessage(), instance);
        }
        if (e instanceof InvalidRequestException) {
            return problem(400, "invalid-request", "Invalid request", e.getMessage(), instance);
        }
        if (e instanceof AuthorizationException) {
            // The bucket refused us: a deployment problem, not the caller's.
            LOG.errorf("the store refused access: %s", e.getMessage());
            return problem(503, "store-access-denied", "The service cannot access its store", e.getMessage(),
                    instance);
        }
        if (e instanceof BufferExhaustedException) {
            return problem(429, "back-pressure", "Too many requests", e.getMessage(), instance);
        }
        if (e instanceof StoreUnavailableException || e instanceof RetriableSiltException) {
            return problem(503, "store-unavailable", "Store unavailable, retry", e.getMessage(), instance);
        }
        if (e instanceof CorruptDataException) {
            LOG.errorf("corrupt data: %s", e.getMessage());
            return problem(500, "corrupt-data", "Corrupt data in the store", e.getMessage(), instance);
        }
        LOG.errorf(t, "unexpected failure serving %s", instance);
        return problem(500, "internal", "Internal error", "unexpected failure; see the service log", instance);
    }

    public static Response problem(int status, String kind, String title, String detail, String instance) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem("urn:silt:problem:" + kind, title, status, detail, instance)).build();
    }

    private static String kindOf(int status) {
        return switch (status) {
            case 400 -> "invalid-request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "too-large";
            case 415 -> "unsupported-media-type";
            case 429 -> "back-pressure";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "invalid-request";
        };
    }

    private static String reason(int status) {
        Response.Status s = Response.Status.fromStatusCode(status);
        return s == null ? "HTTP " + status : s.getReasonPhrase();
    }
}
