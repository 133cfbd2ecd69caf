package io.silt.storage;

import io.silt.storage.StoreUnavailableException.Reason;
import java.util.SplittableRandom;

/**
 * Retries make a faulty store (5% errors on every request, 5% lost responses on writes) indistinguishable from a
 * healthy one: the decorators together pass the whole object-store contract, including the create-only race without
 * any Unknown outcome (12 attempts make exhausting the budget vanishingly rare).
 */
class RetryingFaultyStoreContractTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        FaultInjectingObjectStore faults = FaultInjectingObjectStore.wrap(new InMemoryObjectStore(), 5, d -> { });
        faults.setPolicy(FaultInjectingPolicy.NONE
                .withErrors(0.05, Reason.SERVER_ERROR, Reason.THROTTLED, Reason.CONFLICT, Reason.IO, Reason.TIMEOUT)
                .withLostResponses(0.05));
        return RetryingObjectStore.wrap(faults, RetryPolicy.DEFAULT.withMaxAttempts(12), d -> { },
                new SplittableRandom(5), System::nanoTime);
    }
}
