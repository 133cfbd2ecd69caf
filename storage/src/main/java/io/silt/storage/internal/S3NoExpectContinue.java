package io.silt.storage.internal;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Removes the {@code Expect: 100-continue} header that the S3 client adds to every PutObject and UploadPart with a
 * body. Not API.
 *
 * <p>Why: S3Proxy answers an early 412 to such a request without reading the body and then closes the connection
 * without saying so; about a fifth of create-only race losers then see "Broken pipe" or "server failed to respond"
 * instead of 412, and the next request on the pooled connection fails too. SDK 2.40.2 has no switch for this
 * ({@code S3Configuration} has no {@code expectContinueEnabled}), so the header is removed here. The S3 client runs
 * its own interceptors before the ones added through {@code overrideConfiguration}, and the request is signed after
 * every {@code modifyHttpRequest}, so the removal takes effect and the signature stays valid.
 */
public final class S3NoExpectContinue implements ExecutionInterceptor {
    public static final String HEADER = "Expect";

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        if (request.firstMatchingHeader(HEADER).isEmpty()) {
            return request;
        }
        return request.toBuilder().removeHeader(HEADER).build();
    }
}
