/**
 * The Lambda handlers of the one {@code function.zip}; a function picks one with {@code QUARKUS_LAMBDA_HANDLER}
 * (Lambda handler string {@code io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest}):
 * {@code produce} ({@link io.silt.functions.lambda.ProduceHandler}), {@code fetch}
 * ({@link io.silt.functions.lambda.FetchHandler}), {@code admin} ({@link io.silt.functions.lambda.AdminHandler},
 * the build's default), {@code http} ({@link io.silt.functions.lambda.HttpHandler}: the REST API behind API Gateway
 * or a function URL) and {@code compaction} ({@code io.silt.functions.compaction.CompactionHandler}). In Lambda set
 * {@code QUARKUS_HTTP_HOST_ENABLED=false}. Direct invocations are authorized by IAM; API keys apply to the REST
 * routes, and so to the {@code http} handler.
 */
package io.silt.functions.lambda;
