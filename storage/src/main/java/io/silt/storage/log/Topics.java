package io.silt.storage.log;

import io.silt.storage.ObjectData;
import io.silt.storage.ObjectInfo;
import io.silt.storage.ObjectStore;
import io.silt.storage.log.internal.BinaryReader;
import io.silt.storage.log.internal.BinaryWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The topics of one bucket (or prefix). Each topic name has a numbered log of versions
 * ({@code topics/{name}/meta/{n:020d}}, create-only), so creation, changes and deletion are ordered like everything
 * else in Silt and never rest on {@code If-Match}. See RFC 0003.
 */
public final class Topics {
    static final byte[] MAGIC = "SLTT".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    private static final int LIVE = 1;
    private static final int DELETED = 2;

    private final ObjectStore store;
    private final Clock clock;
    private final RandomGenerator random;

    public Topics(ObjectStore store, Clock clock, RandomGenerator random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    private NumberedLog versions(String name) {
        return new NumberedLog(store, versionPrefix(name), 5);
    }

    /**
     * Creates a topic, or returns the existing one if it has the same settings.
     *
     * @throws TopicExistsException if a live topic of that name has other settings
     * @throws InvalidNameException if the name breaks the rules
     */
    public TopicDescription create(String name, TopicConfig config) {
        TopicNames.validate("topic", name);
        while (true) {
            Version current = current(name);
            if (current != null && current.live()) {
                if (current.description().config().equals(config)) {
                    return current.description();
                }
                throw new TopicExistsException("topic '" + name + "' already exists with " + describe(current
                        .description().config()) + "; asked for " + describe(config)
                        + ". Use the existing settings, alter the retention, or delete the topic first");
            }
            long next = current == null ? 1 : current.seq() + 1;
            TopicDescription created = new TopicDescription(name, newIncarnation(), config, next,
                    Instant.ofEpochMilli(clock.millis()));
            if (append(name, next, LIVE, created)) {
                return created;
            }
        }
    }

    /** The live topic of that name, if there is one. */
    public Optional<TopicDescription> describe(String name) {
        TopicNames.validate("topic", name);
        Version v = current(name);
        return v != null && v.live() ? Optional.of(v.description()) : Optional.empty();
    }

    /** The live topic of that name. @throws UnknownTopicException if there is none */
    public TopicDescription require(String name) {
        return describe(name).orElseThrow(() -> new UnknownTopicException(name));
    }

    /** Changes a topic's retention. @throws UnknownTopicException if it does not exist */
    public TopicDescription alterRetention(String name, Optional<Duration> time, Optional<Long> bytes) {
        TopicNames.validate("topic", name);
        while (true) {
            Version current = current(name);
            if (current == null || !current.live()) {
                throw new UnknownTopicException(name);
            }
            TopicDescription d = current.description();
            TopicDescription altered = new TopicDescription(name, d.incarnation(),
                    d.config().withRetention(time, bytes), current.seq() + 1, d.createdAt());
            if (append(name, altered.version(), LIVE, altered)) {
                return altered;
            }
        }
    }

    /**
     * Deletes a topic. Its data stays until the compactor collects the old incarnation; a topic created again under
     * the same name gets a new incarnation and never sees it.
     *
     * @return whether a live topic was deleted
     */
    public boolean delete(String name) {
        TopicNames.validate("topic", name);
        while (true) {
            Version current = current(name);
            if (current == null || !current.live()) {
                return false;
            }
            TopicDescription d = current.description();
            TopicDescription gone = new TopicDescription(name, d.incarnation(), d.config(), current.seq() + 1,
                    d.createdAt());
            if (append(name, gone.version(), DELETED, gone)) {
                return true;
            }
        }
    }

    /** The names of the live topics, sorted. Costs a LIST per 1000 topic records: an admin operation. */
    public List<String> list() {
        TreeSet<String> names = new TreeSet<>();
        for (ObjectInfo o : store.listAll("topics/")) {
            String rest = o.key().substring("topics/".length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                names.add(rest.substring(0, slash));
            }
        }
        return names.stream().filter(n -> describe(n).isPresent()).toList();
    }

    /**
     * One stored version of a topic, for the compactor (which collects the data of incarnations that are no longer
     * live).
     *
     * @param live whether this version says the topic is live (false: deleted)
     * @param writtenAtMillis the writer's clock when the version was written
     */
    record Version(long seq, boolean live, TopicDescription description, long writtenAtMillis) {}

    /** The key prefix of a topic's numbered version records ({@code topics/{name}/meta/}). */
    static String versionPrefix(String name) {
        return "topics/" + name + "/meta/";
    }

    /** Reads version {@code seq} of topic {@code name}; empty if there is none (any more). */
    Optional<Version> readVersion(String name, long seq) {
        return versions(name).read(seq).map(d -> decode(name, seq, d));
    }

    private Version current(String name) {
        NumberedLog log = versions(name);
        while (true) {
            long head = log.findHead(0);
            if (head == 0) {
                return null;
            }
            Optional<ObjectData> data = log.read(head);
            if (data.isPresent()) {
                return decode(name, head, data.get());
            }
        }
    }

    private boolean append(String name, long seq, int state, TopicDescription d) {
        byte[] token = new byte[16];
        random.nextBytes(token);
        BinaryWriter w = new BinaryWriter(128)
                .bytes(MAGIC).u8(FORMAT_VERSION).bytes(token).u8(state)
                .string(d.incarnation())
                .i32(d.config().partitions())
                .i64(d.config().retentionTime().map(Duration::toMillis).orElse(-1L))
                .i64(d.config().retentionBytes().orElse(-1L))
                .i64(d.createdAt().toEpochMilli())
                .i64(clock.millis());
        return versions(name).append(seq, w.finishWithCrc()) instanceof NumberedLog.Appended.Won;
    }

    private static Version decode(String name, long seq, ObjectData data) {
        BinaryReader r = BinaryReader.withCrc(data.bytes(), data.key(), "topic record");
        r.expectMagic(MAGIC, "topic record");
        int version = r.u8("format version");
        if (version > FORMAT_VERSION) {
            throw new UnsupportedFormatException("topic record", data.key(), version, FORMAT_VERSION);
        }
        r.bytes(16, "write token");
        int state = r.u8("state");
        if (state != LIVE && state != DELETED) {
            throw r.corrupt("unknown topic state " + state);
        }
        String incarnation = r.string("incarnation");
        int partitions = r.count("partitions", TopicConfig.MAX_PARTITIONS);
        long retentionMs = r.i64("retention ms");
        long retentionBytes = r.i64("retention bytes");
        Instant createdAt = Instant.ofEpochMilli(r.i64("created at"));
        long writtenAt = r.i64("written at");
        r.expectEnd();
        TopicConfig config;
        try {
            config = new TopicConfig(partitions,
                    retentionMs < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(retentionMs)),
                    retentionBytes < 0 ? Optional.empty() : Optional.of(retentionBytes));
        } catch (IllegalArgumentException e) {
            throw r.corrupt(e.getMessage());
        }
        return new Version(seq, state == LIVE, new TopicDescription(name, incarnation, config, seq, createdAt),
                writtenAt);
    }

    private String newIncarnation() {
        byte[] id = new byte[8];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    private static String describe(TopicConfig c) {
        return c.partitions() + " partitions, retention "
                + c.retentionTime().map(Duration::toString).orElse("forever")
                + c.retentionBytes().map(b -> " / " + b + " bytes").orElse("");
    }
}
