package io.silt.storage;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * One {@link RetryingObjectStore#putIfAbsent} call: a create-only write retried until its outcome is known
 * (DESIGN rule 4). Not thread-safe: one per call.
 *
 * <p>The call is <em>ambiguous</em> once an attempt may have written without saying so: the delegate returned
 * {@link CreateResult.Unknown}, or threw a {@link StoreUnavailableException} whose reason does not prove that nothing
 * was written (I/O, timeout, server error; a throttled or 409-conflict request certainly did not write). Then:
 * <ul>
 *   <li>the key is read back: our bytes there means {@link CreateResult.Created} (callers put a unique write token
 *       in the body, so equal bytes mean "our write"); other bytes mean {@link CreateResult.AlreadyExists};</li>
 *   <li>a missing key proves nothing (the lost write may still land), so the <em>same</em> write is sent again: it
 *       is create-only, so if the earlier attempt lands first the retry gets 412, which is again read back;</li>
 *   <li>a 412 after an ambiguous attempt is read back, never reported blindly;</li>
 *   <li>when attempts or time run out, or a non-retriable error comes, the result is {@link CreateResult.Unknown}:
 *       the ambiguity is never dropped, turned into AlreadyExists or into an exception.</li>
 * </ul>
 * Before any ambiguity a 412 is reported as AlreadyExists at once, and a budget spent on certain failures ends in the
 * last {@link StoreUnavailableException}. Read-backs that fail transiently are retried within the same budget.
 */
final class RetryingCreate {
    private enum Step { WRITE, READ_BACK, DONE }

    private final ObjectStore delegate;
    private final RetryingObjectStore.Budget budget;
    private final String key;
    private final byte[] data;
    private final Map<String, String> metadata;

    private boolean ambiguous;
    private ObjectStoreException lastError;
    private CreateResult outcome;

    RetryingCreate(ObjectStore delegate, RetryingObjectStore.Budget budget, String key, byte[] data,
            Map<String, String> metadata) {
        this.delegate = delegate;
        this.budget = budget;
        this.key = key;
        this.data = data;
        this.metadata = metadata;
    }

    CreateResult run() {
        Step step = Step.WRITE;
        while (step != Step.DONE) {
            if (!budget.tryStartAttempt()) {
                return outOfBudget();
            }
            step = step == Step.WRITE ? write() : readBack();
        }
        return outcome;
    }

    private Step write() {
        CreateResult result;
        try {
            result = delegate.putIfAbsent(key, data, metadata);
        } catch (StoreUnavailableException e) {
            lastError = e;
            ambiguous |= mayHaveWritten(e);
            return backOffThen(ambiguous ? Step.READ_BACK : Step.WRITE, e);
        } catch (ObjectStoreException e) {
            return failedForGood(e);
        }
        if (result instanceof CreateResult.Unknown unknown) {
            ambiguous = true;
            lastError = unknown.cause();
            return backOffThen(Step.READ_BACK, unknown.cause());
        }
        if (result instanceof CreateResult.AlreadyExists && ambiguous) {
            return Step.READ_BACK; // maybe our own earlier attempt landed: look before answering
        }
        return done(result);
    }

    private Step readBack() {
        Optional<ObjectData> found;
        try {
            found = delegate.get(key);
        } catch (StoreUnavailableException e) {
            lastError = e;
            return backOffThen(Step.READ_BACK, e);
        } catch (ObjectStoreException e) {
            return failedForGood(e);
        }
        if (found.isEmpty()) {
            RetryingObjectStore.LOG.log(Level.DEBUG, () -> "putIfAbsent '" + key + "': outcome unknown and the key"
                    + " is missing; sending the same create-only write again");
            return Step.WRITE;
        }
        boolean ours = Arrays.equals(found.get().bytes(), data);
        RetryingObjectStore.LOG.log(Level.DEBUG, () -> "putIfAbsent '" + key + "': unknown outcome resolved by"
                + " reading back: " + (ours ? "our bytes, created" : "other bytes, already exists"));
        return done(ours ? new CreateResult.Created(found.get().info()) : CreateResult.ALREADY_EXISTS);
    }

    private Step backOffThen(Step next, ObjectStoreException cause) {
        return budget.backOff(cause) ? next : done(outOfBudget());
    }

    /** A non-retriable error: thrown as is, unless an earlier attempt may have written. */
    private Step failedForGood(ObjectStoreException e) {
        if (!ambiguous) {
            throw e;
        }
        if (lastError != null && lastError != e) {
            e.addSuppressed(lastError);
        }
        lastError = e;
        return done(unknown());
    }

    /** The budget is spent (or the wait was interrupted): Unknown if ambiguous, else the last failure is thrown. */
    private CreateResult outOfBudget() {
        if (ambiguous) {
            return unknown();
        }
        throw budget.giveUp((StoreUnavailableException) lastError);
    }

    private Step done(CreateResult result) {
        outcome = result;
        return Step.DONE;
    }

    private CreateResult unknown() {
        RetryingObjectStore.LOG.log(Level.WARNING, () -> "the outcome of putIfAbsent '" + key + "' on "
                + delegate.describe() + " is still unknown after " + budget.summary() + "; last error: "
                + lastError.getMessage());
        return new CreateResult.Unknown(lastError);
    }

    /** Whether a thrown failure leaves open that the write happened. */
    private static boolean mayHaveWritten(StoreUnavailableException e) {
        return switch (e.reason()) {
            case THROTTLED, CONFLICT -> false;
            case SERVER_ERROR, IO, TIMEOUT -> true;
        };
    }
}
