package io.silt.client.internal;

import io.silt.client.AuthorizationException;
import io.silt.client.CorruptDataException;
import io.silt.client.InvalidRequestException;
import io.silt.client.OffsetOutOfRangeException;
import io.silt.client.ProducerFencedException;
import io.silt.client.RecordTooLargeException;
import io.silt.client.RetriableSiltException;
import io.silt.client.SiltException;
import io.silt.client.StoreUnavailableException;
import io.silt.client.TopicExistsException;
import io.silt.client.UnknownTopicException;
import io.silt.storage.InvalidKeyException;
import io.silt.storage.ObjectStoreException;
import io.silt.storage.StoreAccessDeniedException;
import io.silt.storage.StoreConfigurationException;
import io.silt.storage.log.CorruptObjectException;
import io.silt.storage.log.InvalidNameException;
import io.silt.storage.log.LogException;
import io.silt.storage.log.OutOfOrderSequenceException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns storage-level errors into the SDK's public exceptions, keeping the message and the cause. */
public final class Errors {
    private Errors() {}

    public static SiltException translate(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof SiltException s) {
            return s;
        }
        String m = t.getMessage();
        if (t instanceof io.silt.storage.log.UnknownTopicException) {
            return new UnknownTopicException(m, t);
        }
        if (t instanceof io.silt.storage.log.TopicExistsException) {
            return new TopicExistsException(m, t);
        }
        if (t instanceof InvalidNameException || t instanceof InvalidKeyException
                || t instanceof IllegalArgumentException) {
            return new InvalidRequestException(m, t);
        }
        if (t instanceof io.silt.storage.log.segment.RecordTooLargeException) {
            return new RecordTooLargeException(m, t);
        }
        if (t instanceof io.silt.storage.log.ProducerFencedException) {
            return new ProducerFencedException(m, t);
        }
        if (t instanceof OutOfOrderSequenceException) {
            return new SiltException(m, t);
        }
        if (t instanceof io.silt.storage.log.OffsetOutOfRangeException) {
            return new OffsetOutOfRangeException(m, t);
        }
        if (t instanceof CorruptObjectException) {
            return new CorruptDataException(m, t);
        }
        if (t instanceof StoreAccessDeniedException) {
            return new AuthorizationException(m, t);
        }
        if (t instanceof StoreConfigurationException) {
            return new InvalidRequestException(m, t);
        }
        if (t instanceof LogException le) {
            return le.isRetriable() ? new RetriableSiltException(m, t) : new SiltException(m, t);
        }
        if (t instanceof ObjectStoreException se) {
            return se.isRetriable() ? new StoreUnavailableException(m, t) : new SiltException(m, t);
        }
        return new SiltException(t.toString(), t);
    }
}
