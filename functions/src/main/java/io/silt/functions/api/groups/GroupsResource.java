package io.silt.functions.api.groups;

import io.silt.client.Admin;
import io.silt.client.Consumer;
import io.silt.client.ConsumerConfig;
import io.silt.client.ConsumerRecord;
import io.silt.client.GroupInfo;
import io.silt.client.InvalidRequestException;
import io.silt.client.TopicPartition;
import io.silt.functions.SiltMetrics;
import io.silt.functions.SiltRuntime;
import io.silt.storage.log.TopicNames;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The consumer-group routes of the REST API (RFC 0009, "Consumer groups"): listing, describing (with lag), reading,
 * committing and resetting a group's offsets, and group members held by this service for REST clients
 * ({@link GroupSessions}): join, heartbeat, fetch, commit, leave.
 */
@Path("/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
public class GroupsResource {
    /** The most records one member fetch returns (the session consumer's max poll records). */
    static final int MAX_RECORDS = 500;

    private final SiltRuntime runtime;
    private final GroupSessions sessions;
    private final SiltMetrics metrics;
    private final long maxWaitMs;

    @Context
    UriInfo uri;

    public GroupsResource(SiltRuntime runtime, GroupSessions sessions, SiltMetrics metrics,
                          @ConfigProperty(name = "silt.max-wait-ms", defaultValue = "20000") long maxWaitMs) {
        this.runtime = runtime;
        this.sessions = sessions;
        this.metrics = metrics;
        this.maxWaitMs = maxWaitMs;
    }

    /** A partition and an offset, in request and answer bodies. */
    public record PartitionOffset(String topic, Integer partition, Long offset) {}

    public record GroupList(List<String> groups) {}

    public record Offsets(List<PartitionOffset> offsets) {}

    /** A partition of a described group. */
    public record PartitionLag(String topic, int partition, long committedOffset, long endOffset, long lag,
                               long lagBytes, String owner) {}

    public record GroupDescription(String group, long generation, List<String> members, long lag,
                                   List<PartitionLag> partitions) {}

    public record CommitRequest(String memberId, Long generation, List<PartitionOffset> offsets) {}

    public record JoinRequest(List<String> topics, String autoOffsetReset) {}

    public record Assigned(String topic, int partition) {}

    public record Membership(String memberId, long generation, List<Assigned> assignment) {}

    public record ResetRequest(String topic, String to) {}

    public record FetchedRecord(String topic, int partition, long offset, long timestamp, String key, String value,
                                Map<String, String> headers) {}

    public record Records(List<FetchedRecord> records) {}

    private Admin admin() {
        return runtime.client().admin();
    }

    private String instance() {
        return uri == null ? null : uri.getPath();
    }

    @GET
    public GroupList list() {
        return new GroupList(admin().listGroups());
    }

    @GET
    @Path("/{group}")
    public GroupDescription describe(@PathParam("group") String group) {
        GroupInfo info = describeOr404(group);
        List<PartitionLag> parts = info.partitions().stream().map(p -> new PartitionLag(p.partition().topic(),
                p.partition().partition(), p.committedOffset(), p.endOffset(), p.lagRecords(), p.lagBytes(),
                p.owner())).toList();
        return new GroupDescription(info.group(), info.generation(), info.members(), info.totalLag(), parts);
    }

    @GET
    @Path("/{group}/offsets")
    public Offsets offsets(@PathParam("group") String group) {
        return new Offsets(describeOr404(group).partitions().stream().filter(p -> p.committedOffset() >= 0)
                .map(p -> new PartitionOffset(p.partition().topic(), p.partition().partition(), p.committedOffset()))
                .toList());
    }

    /** The SDK says "does not exist" as an invalid request; over REST that is 404 {@code unknown-group}. */
    private GroupInfo describeOr404(String group) {
        Admin admin = admin();
        try {
            return admin.describeGroup(group);
        } catch (InvalidRequestException e) {
            if (validName(group) && !admin.listGroups().contains(group)) {
                throw Problems.unknownGroup(group, instance());
            }
            throw e;
        }
    }

    private static boolean validName(String group) {
        return group.matches("[A-Za-z0-9._-]{1,249}");
    }

    /**
     * Commits offsets: as member {@code memberId} (its given offsets, or without them its positions), or without a
     * member as a standalone consumer, which the group accepts only while it has no members.
     */
    @POST
    @Path("/{group}/offsets")
    public Response commit(@PathParam("group") String group, String body) {
        CommitRequest req = JsonBodies.read(body, CommitRequest.class, null);
        Map<TopicPartition, Long> offsets = req.offsets() == null ? null : offsetMap(req.offsets());
        if (req.memberId() != null) {
            sessions.with(group, req.memberId(), s -> {
                s.commit(req.generation(), offsets);
                return true;
            }).orElseThrow(() -> Problems.unknownMember(group, req.memberId(), instance()));
            return Response.noContent().build();
        }
        if (req.generation() != null) {
            throw new InvalidRequestException("\"generation\" needs a \"memberId\"; without one the commit is a "
                    + "standalone consumer's");
        }
        if (offsets == null || offsets.isEmpty()) {
            throw new InvalidRequestException("a commit without \"memberId\" needs \"offsets\"");
        }
        try (Consumer standalone = runtime.client().consumer(ConsumerConfig.defaults().withGroupId(group)
                .withAutoCommit(false))) {
            standalone.assign(offsets.keySet());
            standalone.commitSync(offsets);
        }
        return Response.noContent().build();
    }

    private static Map<TopicPartition, Long> offsetMap(List<PartitionOffset> list) {
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        for (PartitionOffset o : list) {
            if (o == null || o.topic() == null || o.partition() == null || o.offset() == null || o.partition() < 0
                    || o.offset() < 0) {
                throw new InvalidRequestException("each offset needs \"topic\", \"partition\" >= 0 and \"offset\" "
                        + ">= 0 (the next offset to read), not " + o);
            }
            if (out.put(new TopicPartition(o.topic(), o.partition()), o.offset()) != null) {
                throw new InvalidRequestException("partition " + o.topic() + "-" + o.partition() + " is named twice");
            }
        }
        return out;
    }

    @POST
    @Path("/{group}/members")
    public Membership join(@PathParam("group") String group, String body) {
        JoinRequest req = JsonBodies.read(body, JoinRequest.class, null);
        ConsumerConfig.OffsetReset reset;
        try {
            reset = req.autoOffsetReset() == null ? ConsumerConfig.OffsetReset.LATEST
                    : ConsumerConfig.OffsetReset.valueOf(req.autoOffsetReset().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("\"autoOffsetReset\" must be earliest or latest, not '"
                    + req.autoOffsetReset() + "'");
        }
        return membership(sessions.join(group, req.topics(), reset));
    }

    @POST
    @Path("/{group}/members/{member}/heartbeat")
    public Membership heartbeat(@PathParam("group") String group, @PathParam("member") String member) {
        return sessions.with(group, member, GroupSession::heartbeat).map(GroupsResource::membership)
                .orElseThrow(() -> Problems.unknownMember(group, member, instance()));
    }

    @GET
    @Path("/{group}/members/{member}/records")
    public Records fetch(@PathParam("group") String group, @PathParam("member") String member,
                         @QueryParam("maxRecords") @DefaultValue("500") String maxRecordsParam,
                         @QueryParam("waitMs") @DefaultValue("0") String waitMsParam,
                         @QueryParam("encoding") String encoding) {
        long maxRecords = number("maxRecords", maxRecordsParam);
        long waitMs = number("waitMs", waitMsParam);
        if (maxRecords < 1 || maxRecords > MAX_RECORDS) {
            throw new InvalidRequestException("maxRecords must be between 1 and " + MAX_RECORDS + ", not "
                    + maxRecords);
        }
        if (waitMs < 0 || waitMs > maxWaitMs) {
            throw new InvalidRequestException("waitMs must be between 0 and " + maxWaitMs + ", not " + waitMs);
        }
        RecordJson.Encoding enc = RecordJson.Encoding.parse(encoding);
        List<ConsumerRecord> got = sessions.with(group, member,
                s -> s.fetch((int) maxRecords, Duration.ofMillis(waitMs)))
                .orElseThrow(() -> Problems.unknownMember(group, member, instance()));
        count(got);
        return new Records(got.stream().map(r -> new FetchedRecord(r.topic(), r.partition(), r.offset(),
                r.timestamp(), enc.encode(r.key()), enc.encode(r.value()), enc.headers(r.headers()))).toList());
    }

    /** A whole-number query parameter (JAX-RS would answer 404 for one that does not convert). */
    private static long number(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be a whole number, not '" + value + "'");
        }
    }

    /** Reports a fetch to the metrics, per topic. */
    private void count(List<ConsumerRecord> records) {
        long now = System.currentTimeMillis();
        Map<String, List<ConsumerRecord>> byTopic = new LinkedHashMap<>();
        records.forEach(r -> byTopic.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r));
        byTopic.forEach((topic, list) -> {
            long bytes = 0;
            long[] ages = new long[list.size()];
            for (int i = 0; i < list.size(); i++) {
                ConsumerRecord r = list.get(i);
                bytes += (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
                ages[i] = now - r.timestamp();
            }
            metrics.fetched(topic, list.size(), bytes, ages);
        });
    }

    @DELETE
    @Path("/{group}/members/{member}")
    public Response leave(@PathParam("group") String group, @PathParam("member") String member) {
        if (!sessions.leave(group, member)) {
            throw Problems.unknownMember(group, member, instance());
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/{group}/reset-offsets")
    public Offsets reset(@PathParam("group") String group, String body) {
        ResetRequest req = JsonBodies.read(body, ResetRequest.class, null);
        if (req.topic() == null || req.to() == null) {
            throw new InvalidRequestException("reset-offsets needs \"topic\" and \"to\" (earliest, latest, an offset "
                    + "or an ISO-8601 time)");
        }
        Admin.OffsetSpec to = offsetSpec(req.to());
        Admin admin = admin();
        Map<TopicPartition, Long> done;
        try {
            done = admin.resetOffsets(group, req.topic(), to);
        } catch (InvalidRequestException e) {
            // The SDK refuses a group with live members as an invalid request; over REST that is a conflict.
            if (validName(group) && admin.listGroups().contains(group)
                    && !admin.describeGroup(group).members().isEmpty()) {
                throw Problems.conflict(e.getMessage(), instance());
            }
            throw e;
        }
        List<PartitionOffset> out = new ArrayList<>();
        done.forEach((tp, off) -> out.add(new PartitionOffset(tp.topic(), tp.partition(), off)));
        return new Offsets(out);
    }

    private static Admin.OffsetSpec offsetSpec(String to) {
        String t = to.trim();
        if (t.equalsIgnoreCase("earliest")) {
            return new Admin.OffsetSpec.Earliest();
        }
        if (t.equalsIgnoreCase("latest")) {
            return new Admin.OffsetSpec.Latest();
        }
        if (t.matches("\\d{1,18}")) {
            return new Admin.OffsetSpec.AtOffset(Long.parseLong(t));
        }
        try {
            return new Admin.OffsetSpec.AtTimestamp(Instant.parse(t).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("\"to\" must be earliest, latest, an offset or an ISO-8601 time such as "
                    + "2024-05-01T12:00:00Z, not '" + to + "'");
        }
    }

    /** Not available: the SDK's {@link Admin} has no way to delete a group yet. */
    @DELETE
    @Path("/{group}")
    public Response delete(@PathParam("group") String group) {
        TopicNames.validate("group", group); // a bad name is the caller's error (400), whatever the route does
        throw Problems.notImplemented("deleting a consumer group is not supported yet (the SDK's Admin has no "
                + "group deletion); reset its offsets instead", instance());
    }

    private static Membership membership(GroupSession.State s) {
        return new Membership(s.memberId(), s.generation(), s.assignment().stream()
                .map(tp -> new Assigned(tp.topic(), tp.partition())).toList());
    }
}
