package io.silt.functions.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Which permission a REST request needs, from its method and path (the routes of RFC 0009), so the resources need
 * not know about keys:
 *
 * <table>
 *   <caption>routes and permissions</caption>
 *   <tr><th>route</th><th>needs</th></tr>
 *   <tr><td>GET /v1/topics, GET /v1/groups, other /v1 paths</td><td>a valid key</td></tr>
 *   <tr><td>POST /v1/topics</td><td>admin on the topic named in the body</td></tr>
 *   <tr><td>GET /v1/topics/{t}</td><td>any permission on t</td></tr>
 *   <tr><td>PATCH, DELETE /v1/topics/{t}; POST /v1/topics/{t}/purge</td><td>admin on t</td></tr>
 *   <tr><td>POST /v1/topics/{t}/records, /v1/topics/{t}/partitions/{p}/records</td><td>produce on t</td></tr>
 *   <tr><td>GET /v1/topics/{t}/partitions/{p}/records and /offsets; /v1/topics/{t}/queues/...</td>
 *       <td>consume on t</td></tr>
 *   <tr><td>/v1/groups/{g}/...</td><td>consume on group g</td></tr>
 *   <tr><td>/v1/state/groups/{g}/..., /v1/state?prefix=groups/{g}/...</td><td>consume on group g</td></tr>
 *   <tr><td>/v1/state/queues/{t}/..., /v1/state?prefix=queues/{t}/...</td><td>consume on topic t</td></tr>
 *   <tr><td>/v1/compaction</td><td>a valid key (POST: also admin on every topic, checked by
 *       {@code io.silt.functions.compaction.CompactionAdminFilter})</td></tr>
 *   <tr><td>anything outside /v1 (the page at /, /q/health, /q/metrics, /q/openapi)</td><td>nothing</td></tr>
 * </table>
 */
public final class AccessRules {
    private AccessRules() {}

    /** What a request needs. */
    public sealed interface Need {
        /** Nothing: the route is not under auth. */
        record Nothing() implements Need {}

        /** Any valid key. */
        record AnyKey() implements Need {}

        /** A permission on a resource. */
        record Grant(Permission permission, Resource resource) implements Need {}

        /** Any permission on a topic. */
        record AnyGrant(Resource topic) implements Need {}

        /** Admin on the topic named by the body's {@code name} (topic creation). */
        record AdminOnBodyTopic() implements Need {}
    }

    private static final Need NOTHING = new Need.Nothing();
    private static final Need ANY_KEY = new Need.AnyKey();

    /**
     * @param path the request path, percent-encoded as received, without the query
     * @param statePrefix the {@code prefix} query parameter (decoded), for {@code GET /v1/state}; may be null
     */
    public static Need of(String method, String path, String statePrefix) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        String[] s = p.isEmpty() ? new String[0] : p.split("/", -1);
        for (int i = 0; i < s.length; i++) {
            s[i] = URLDecoder.decode(s[i].replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        if (s.length == 0 || !s[0].equals("v1")) {
            return NOTHING;
        }
        if (s.length < 2) {
            return ANY_KEY;
        }
        return switch (s[1]) {
            case "topics" -> topics(method, s);
            case "groups" -> s.length >= 3 && !s[2].isEmpty() ? consume(Resource.group(s[2])) : ANY_KEY;
            case "state" -> state(s, statePrefix);
            default -> ANY_KEY;
        };
    }

    private static Need topics(String method, String[] s) {
        if (s.length == 2 || (s.length == 3 && s[2].isEmpty())) {
            return method.equals("POST") ? new Need.AdminOnBodyTopic() : ANY_KEY;
        }
        Resource topic = Resource.topic(s[2]);
        if (s.length == 3) {
            return method.equals("GET") || method.equals("HEAD") ? new Need.AnyGrant(topic)
                    : new Need.Grant(Permission.ADMIN, topic);
        }
        return switch (s[3]) {
            case "purge" -> new Need.Grant(Permission.ADMIN, topic);
            case "records" -> new Need.Grant(Permission.PRODUCE, topic);
            case "partitions" -> s.length >= 6 && s[5].equals("records") && method.equals("POST")
                    ? new Need.Grant(Permission.PRODUCE, topic) : consume(topic);
            default -> consume(topic);
        };
    }

    private static Need state(String[] s, String prefix) {
        if (s.length >= 4) {
            return stateArea(s[2], s[3]);
        }
        if (prefix != null) {
            String[] q = prefix.split("/", -1);
            if (q.length >= 2 && !q[1].isEmpty()) {
                return stateArea(q[0], q[1]);
            }
        }
        return ANY_KEY;
    }

    private static Need stateArea(String area, String name) {
        return switch (area) {
            case "groups" -> consume(Resource.group(name));
            case "queues" -> consume(Resource.topic(name));
            default -> ANY_KEY;
        };
    }

    private static Need consume(Resource r) {
        return new Need.Grant(Permission.CONSUME, r);
    }
}
