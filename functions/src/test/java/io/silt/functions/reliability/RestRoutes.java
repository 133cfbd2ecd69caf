package io.silt.functions.reliability;

import io.silt.functions.api.TopicsResource;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every route of the REST API, read by reflection from the JAX-RS resource classes of the functions module (not
 * from a list kept by hand), with what each takes: path, query and header parameters and a body. The reliability
 * tests (bad input, hostile names, access control) run every case against every route; a route with a path
 * parameter {@link #SAMPLE_VALUES} has no value for fails them, so a new route cannot go untested.
 */
public final class RestRoutes {
    /** A valid value for each path parameter, naming the fixtures the tests create. */
    public static final Map<String, String> SAMPLE_VALUES = Map.of(
            "topic", "orders", "partition", "0", "group", "billing", "member", "m-1", "queue", "work",
            "key", "groups/billing/state-1");
    private static final Pattern PARAM = Pattern.compile("\\{(\\w+)\\s*(:[^}]*)?}");

    private RestRoutes() {}

    /**
     * One route.
     *
     * @param method the HTTP method
     * @param template the path with {@code {name}} parameters (regular expressions removed)
     * @param queryParams the query parameters the resource reads
     * @param headerParams the headers the resource reads (besides Content-Type and Accept)
     * @param takesBody whether the resource reads a body
     * @param anyContentType whether the body may be of any type (a stored state object)
     */
    public record Route(String method, String template, List<String> queryParams, List<String> headerParams,
                        boolean takesBody, boolean anyContentType) {
        /** The path parameters, in order. */
        public List<String> pathParams() {
            List<String> out = new ArrayList<>();
            Matcher m = PARAM.matcher(template);
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        }

        /** The path with the sample values, and {@code overrides} (raw, inserted as given) where named. */
        public String path(Map<String, String> overrides) {
            Matcher m = PARAM.matcher(template);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String value = overrides.containsKey(name) ? overrides.get(name) : SAMPLE_VALUES.get(name);
                if (value == null) {
                    throw new AssertionError(this + ": no sample value for path parameter {" + name + "}; add one to"
                            + " RestRoutes.SAMPLE_VALUES (and a fixture) so the reliability tests cover the route");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString();
        }

        /** The path with the sample values. */
        public String path() {
            return path(Map.of());
        }

        /** {@code name} percent-encoded as one path segment. */
        public static String segment(String name) {
            return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** Every route, sorted by path then method. */
    public static List<Route> all() {
        List<Route> routes = new ArrayList<>();
        for (Class<?> c : resourceClasses()) {
            Path base = c.getAnnotation(Path.class);
            for (Method m : c.getDeclaredMethods()) {
                String http = httpMethod(m);
                if (http != null) {
                    Path sub = m.getAnnotation(Path.class);
                    routes.add(route(http, normalize(base.value() + "/" + (sub == null ? "" : sub.value())), m));
                }
            }
        }
        routes.sort(Comparator.comparing(Route::template).thenComparing(Route::method));
        return routes;
    }

    private static Route route(String http, String template, Method m) {
        List<String> query = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        boolean body = false;
        for (Parameter p : m.getParameters()) {
            QueryParam q = p.getAnnotation(QueryParam.class);
            HeaderParam h = p.getAnnotation(HeaderParam.class);
            if (q != null) {
                query.add(q.value());
            } else if (h != null) {
                if (!h.value().equalsIgnoreCase("Content-Type") && !h.value().equalsIgnoreCase("Accept")) {
                    headers.add(h.value());
                }
            } else if (Stream.of(p.getAnnotations()).noneMatch(RestRoutes::isJaxRs)) {
                body = true;
            }
        }
        jakarta.ws.rs.Consumes consumes = m.getAnnotation(jakarta.ws.rs.Consumes.class);
        boolean any = consumes != null && List.of(consumes.value()).contains("*/*");
        return new Route(http, template, List.copyOf(query), List.copyOf(headers), body, any);
    }

    private static boolean isJaxRs(Annotation a) {
        return a.annotationType().getPackageName().startsWith("jakarta.ws.rs");
    }

    /** Collapses slashes, drops a trailing one, and turns {@code {key: .+}} into {@code {key}}. */
    static String normalize(String path) {
        String p = ("/" + path).replaceAll("/+", "/");
        p = PARAM.matcher(p).replaceAll("{$1}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
            if (h != null) {
                return h.value();
            }
        }
        return null;
    }

    /** The classes of the module annotated with {@code @Path} under {@code /v1}, found in its class directory. */
    private static List<Class<?>> resourceClasses() {
        java.nio.file.Path root;
        try {
            root = java.nio.file.Path.of(TopicsResource.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        ClassLoader loader = TopicsResource.class.getClassLoader();
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            List<Class<?>> out = new ArrayList<>();
            for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.startsWith("io.silt.functions")) {
                    Class<?> c = loadOrNull(loader, name);
                    if (c != null && c.isAnnotationPresent(Path.class) && c.getAnnotation(Path.class).value()
                            .startsWith("/v1")) {
                        out.add(c);
                    }
                }
            }
            if (out.size() < 5) {
                throw new IllegalStateException("found only " + out + " resource classes under " + root);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> loadOrNull(ClassLoader loader, String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null; // generated or optional classes
        }
    }
}
