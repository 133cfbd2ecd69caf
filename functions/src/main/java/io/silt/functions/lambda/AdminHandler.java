package io.silt.functions.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.silt.client.Admin;
import io.silt.client.InvalidRequestException;
import io.silt.client.TopicInfo;
import io.silt.functions.SiltRuntime;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Topic administration as a Lambda function ({@code QUARKUS_LAMBDA_HANDLER=admin}, the build's default handler).
 * Events, by {@code action}:
 * <ul>
 *   <li>{@code {"action":"create","topic":"orders","partitions":3,"retentionMs":604800000,"retentionBytes":null}}
 *       → the topic ({@code retentionMs} absent: 7 days; {@code -1}: forever; {@code retentionBytes} absent or
 *       {@code -1}: no limit);</li>
 *   <li>{@code {"action":"list"}} → {@code {"topics":[..]}};</li>
 *   <li>{@code {"action":"describe","topic":"orders"}} → the topic with its partitions' offsets;</li>
 *   <li>{@code {"action":"alter","topic":"orders","retentionMs":..,"retentionBytes":..}} → the topic (an absent
 *       setting keeps its value);</li>
 *   <li>{@code {"action":"delete","topic":"orders"}} → {@code {"deleted":true|false}}.</li>
 * </ul>
 * A topic is answered as in the REST API: name, partitions, retentionMs, retentionBytes (null: none) and
 * {@code partitionInfo} [{partition,startOffset,endOffset}].
 */
@Named("admin")
public class AdminHandler implements RequestHandler<AdminHandler.AdminEvent, Map<String, Object>> {

    /** The event. */
    public record AdminEvent(String action, String topic, Integer partitions, Long retentionMs, Long retentionBytes) {}

    private final SiltRuntime silt;

    public AdminHandler(SiltRuntime silt) {
        this.silt = silt;
    }

    @Override
    public Map<String, Object> handleRequest(AdminEvent event, Context context) {
        if (event == null || event.action() == null) {
            throw new InvalidRequestException("the event needs an action: create, list, describe, alter or delete");
        }
        Admin admin = silt.client().admin();
        return switch (event.action().toLowerCase(Locale.ROOT)) {
            case "list" -> Map.of("topics", admin.listTopics());
            case "create" -> topic(admin.createTopic(topicOf(event),
                    event.partitions() == null ? 1 : event.partitions(),
                    event.retentionMs() == null ? Optional.of(Duration.ofDays(7)) : time(event.retentionMs()),
                    bytes(event.retentionBytes())));
            case "describe" -> topic(admin.describeTopic(topicOf(event)));
            case "alter" -> {
                TopicInfo now = admin.describeTopic(topicOf(event));
                yield topic(admin.alterRetention(now.name(),
                        event.retentionMs() == null ? now.retentionTime() : time(event.retentionMs()),
                        event.retentionBytes() == null ? now.retentionBytes() : bytes(event.retentionBytes())));
            }
            case "delete" -> Map.of("deleted", admin.deleteTopic(topicOf(event)));
            default -> throw new InvalidRequestException("unknown action '" + event.action()
                    + "': use create, list, describe, alter or delete");
        };
    }

    private static String topicOf(AdminEvent event) {
        if (event.topic() == null || event.topic().isBlank()) {
            throw new InvalidRequestException("action " + event.action() + " needs a topic");
        }
        return event.topic();
    }

    private static Optional<Duration> time(Long millis) {
        return millis == null || millis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
    }

    private static Optional<Long> bytes(Long bytes) {
        return bytes == null || bytes < 0 ? Optional.empty() : Optional.of(bytes);
    }

    private static Map<String, Object> topic(TopicInfo t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", t.name());
        out.put("partitions", t.partitions());
        out.put("retentionMs", t.retentionTime().map(Duration::toMillis).orElse(null));
        out.put("retentionBytes", t.retentionBytes().orElse(null));
        out.put("partitionInfo", t.partitionInfo() == null ? List.of() : t.partitionInfo().stream()
                .map(p -> Map.of("partition", p.partition(), "startOffset", p.startOffset(),
                        "endOffset", p.endOffset()))
                .toList());
        return out;
    }
}
