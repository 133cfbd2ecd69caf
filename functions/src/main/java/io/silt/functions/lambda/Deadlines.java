package io.silt.functions.lambda;

import com.amazonaws.services.lambda.runtime.Context;

/** How long a handler may still work in an invocation. */
final class Deadlines {
    /** Used when the context does not know its deadline (Quarkus' mock event server in tests and dev mode). */
    static final long UNKNOWN_DEADLINE_MILLIS = 60_000;

    private Deadlines() {}

    /**
     * The invocation's remaining time less {@code reserveMillis} (never negative), so the handler answers before
     * Lambda's timeout; {@link #UNKNOWN_DEADLINE_MILLIS} if the context reports no time at all.
     */
    static long budgetMillis(Context context, long reserveMillis) {
        int remaining = context == null ? 0 : context.getRemainingTimeInMillis();
        if (remaining <= 0) {
            return UNKNOWN_DEADLINE_MILLIS;
        }
        return Math.max(0, remaining - reserveMillis);
    }
}
