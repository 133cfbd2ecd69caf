package io.silt.functions.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.quarkus.netty.runtime.virtual.VirtualClientConnection;
import io.quarkus.netty.runtime.virtual.VirtualResponseHandler;
import io.quarkus.vertx.http.runtime.QuarkusHttpHeaders;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.silt.functions.api.Problem;
import io.vertx.core.Vertx;
import jakarta.inject.Named;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The REST API as a Lambda function ({@code QUARKUS_LAMBDA_HANDLER=http}) behind an API Gateway HTTP API (payload
 * format 2.0) or a Lambda function URL: every event becomes an HTTP request to this application's own router, so
 * the same resources, filters (API keys) and problem responses serve it as when the service runs with
 * {@code java -jar}. No socket is involved: the request travels over Quarkus' in-JVM virtual channel (the mechanism
 * of {@code quarkus-amazon-lambda-http}, which cannot be used beside the other handlers of this application). In
 * Lambda set {@code QUARKUS_HTTP_HOST_ENABLED=false}: nothing needs to listen.
 *
 * <p>Bodies are decoded from base64 when the event says so; answers whose type is not text, JSON, XML or
 * JavaScript (the binary batch {@code application/vnd.silt.batch}) are returned base64-encoded. Headers keep their
 * values (API Gateway joins repeated headers with commas; they are passed on as one value); cookies travel in the
 * event's and the answer's {@code cookies}. An answer must arrive {@code silt.lambda.reserve-ms} before the
 * invocation's deadline or the handler answers 504.
 */
@Named("http")
public class HttpHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Logger LOG = Logger.getLogger(HttpHandler.class);

    private final Vertx vertx;
    private final ObjectMapper json;
    private final long reserveMillis;
    private volatile boolean virtualStarted;

    public HttpHandler(Vertx vertx, ObjectMapper json,
                       @ConfigProperty(name = "silt.lambda.reserve-ms", defaultValue = "1000") long reserveMillis) {
        this.vertx = vertx;
        this.json = json;
        this.reserveMillis = reserveMillis;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = event.getRequestContext() == null ? null
                : event.getRequestContext().getHttp();
        if (http == null || http.getMethod() == null) {
            return problem(400, "invalid-request", "Invalid request",
                    "not an API Gateway HTTP API (payload 2.0) or function URL event: requestContext.http.method "
                            + "is missing", event.getRawPath());
        }
        try {
            return dispatch(event, http, context);
        } catch (TimeoutException e) {
            return problem(504, "timeout", "Gateway timeout",
                    "the service did not answer before the invocation's deadline", event.getRawPath());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return problem(503, "unavailable", "Service Unavailable", "interrupted", event.getRawPath());
        } catch (RuntimeException | ExecutionException e) {
            LOG.errorf(e, "dispatching %s %s failed", http.getMethod(), event.getRawPath());
            return problem(500, "internal", "Internal error", "unexpected failure; see the service log",
                    event.getRawPath());
        }
    }

    private APIGatewayV2HTTPResponse dispatch(APIGatewayV2HTTPEvent event, APIGatewayV2HTTPEvent.RequestContext.Http
            http, Context context) throws InterruptedException, ExecutionException, TimeoutException {
        startVirtualServer();
        QuarkusHttpHeaders headers = new QuarkusHttpHeaders();
        headers.setContextObject(Context.class, context);
        headers.setContextObject(APIGatewayV2HTTPEvent.class, event);
        String path = event.getRawPath() == null || event.getRawPath().isEmpty() ? "/" : event.getRawPath();
        String query = event.getRawQueryString();
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(http.getMethod()),
                query == null || query.isEmpty() ? path : path + "?" + query, headers);
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if (value != null) {
                    request.headers().add(name, value);
                }
            });
        }
        if (event.getCookies() != null && !event.getCookies().isEmpty()) {
            request.headers().set(HttpHeaderNames.COOKIE, String.join("; ", event.getCookies()));
        }
        if (!request.headers().contains(HttpHeaderNames.HOST)) {
            request.headers().set(HttpHeaderNames.HOST, "localhost");
        }
        HttpContent body = LastHttpContent.EMPTY_LAST_CONTENT;
        if (event.getBody() != null) {
            byte[] bytes = event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody())
                    : event.getBody().getBytes(StandardCharsets.UTF_8);
            body = new DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes));
        }
        if (!request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            request.headers().set(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(body.content().readableBytes()));
        }
        String source = http.getSourceIp();
        Collector collector = new Collector();
        VirtualClientConnection<?> connection = VirtualClientConnection.connect(collector,
                VertxHttpRecorder.VIRTUAL_HTTP, source == null ? null : new InetSocketAddress(source, 443));
        try {
            awaitRegistration(connection);
            connection.sendMessage(request);
            connection.sendMessage(body);
            return collector.answer.get(Math.max(1, Deadlines.budgetMillis(context, reserveMillis)),
                    TimeUnit.MILLISECONDS);
        } finally {
            connection.close();
        }
    }

    /**
     * The server side of a new virtual connection is registered with an event loop asynchronously; a message sent
     * before that fails ("channel not registered to an event loop"). Registration takes microseconds.
     */
    private static void awaitRegistration(VirtualClientConnection<?> connection) throws TimeoutException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!connection.peer().isRegistered()) {
            if (System.nanoTime() > until) {
                throw new TimeoutException("the virtual connection was not registered");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Binds Quarkus' virtual HTTP server once. Quarkus starts it only for extensions that ask for it at build time
     * ({@code quarkus-amazon-lambda-http}) and then stops listening on a socket in production; here both are
     * wanted (the socket for {@code java -jar}, the virtual server for this handler), so it is bound on first use
     * with the same routine Quarkus uses ({@code VertxHttpRecorder.initializeVirtual}, idempotent).
     */
    private void startVirtualServer() {
        if (virtualStarted) {
            return;
        }
        synchronized (this) {
            if (!virtualStarted) {
                try {
                    Method init = VertxHttpRecorder.class.getDeclaredMethod("initializeVirtual", Vertx.class);
                    init.setAccessible(true);
                    init.invoke(null, vertx);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot start Quarkus' virtual HTTP server (has "
                            + "VertxHttpRecorder.initializeVirtual changed in this Quarkus version?)", e);
                }
                virtualStarted = true;
            }
        }
    }

    /** Gathers the response the router writes to the virtual channel. */
    private static final class Collector implements VirtualResponseHandler {
        final CompletableFuture<APIGatewayV2HTTPResponse> answer = new CompletableFuture<>();
        private final APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public void handleMessage(Object msg) {
            try {
                if (msg instanceof HttpResponse r) {
                    response.setStatusCode(r.status().code());
                    Map<String, String> headers = new LinkedHashMap<>();
                    List<String> cookies = new ArrayList<>();
                    for (String name : r.headers().names()) {
                        List<String> values = r.headers().getAll(name);
                        if (HttpHeaderNames.SET_COOKIE.contentEqualsIgnoreCase(name)) {
                            cookies.addAll(values);
                        } else if (!values.isEmpty()) {
                            headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
                        }
                    }
                    response.setHeaders(headers);
                    if (!cookies.isEmpty()) {
                        response.setCookies(cookies);
                    }
                }
                if (msg instanceof HttpContent c) {
                    ByteBuf content = c.content();
                    content.readBytes(body, content.readableBytes());
                }
                if (msg instanceof FileRegion f) {
                    f.transferTo(Channels.newChannel(body), f.transferred());
                }
                if (msg instanceof LastHttpContent) {
                    finish();
                }
            } catch (IOException | RuntimeException e) {
                answer.completeExceptionally(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void finish() {
            if (body.size() > 0) {
                String type = response.getHeaders() == null ? null : response.getHeaders().get("content-type");
                if (isText(type)) {
                    response.setBody(body.toString(StandardCharsets.UTF_8));
                    response.setIsBase64Encoded(false);
                } else {
                    response.setBody(Base64.getEncoder().encodeToString(body.toByteArray()));
                    response.setIsBase64Encoded(true);
                }
            }
            answer.complete(response);
        }

        @Override
        public void close() {
            answer.completeExceptionally(new IllegalStateException("the connection closed before an answer"));
        }
    }

    static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript")
                || t.contains("yaml") || t.startsWith("application/x-www-form-urlencoded");
    }

    private APIGatewayV2HTTPResponse problem(int status, String kind, String title, String detail, String instance) {
        APIGatewayV2HTTPResponse r = new APIGatewayV2HTTPResponse();
        r.setStatusCode(status);
        r.setHeaders(Map.of("content-type", Problem.MEDIA_TYPE));
        try {
            r.setBody(json.writeValueAsString(new Problem("urn:silt:problem:" + kind, title, status, detail,
                    instance)));
        } catch (IOException e) {
            r.setBody("{\"status\":" + status + "}");
        }
        return r;
    }
}
