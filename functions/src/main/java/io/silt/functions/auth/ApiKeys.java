package io.silt.functions.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The service's API keys and whether they are required.
 *
 * <p>{@code silt.auth.mode}: {@code off} (every request is allowed) or {@code keys} (every {@code /v1} request
 * needs a key, sent as {@code Authorization: Bearer <key>} or {@code X-Api-Key: <key>}). Unset, it is {@code keys}
 * when the process runs in AWS Lambda (the environment has {@code AWS_LAMBDA_FUNCTION_NAME}) or under the
 * {@code lambda} profile, and {@code off} otherwise, with a loud warning at start. Keys come from
 * {@code silt.auth.keys} and {@code silt.auth.keys-file} ({@link KeyParser}); {@code silt.auth.revoked} lists key
 * names that are refused (401) even though configured. With mode {@code keys} and no key, every request is
 * refused.
 *
 * <p>Only SHA-256 hashes of secrets are kept; a presented key is hashed and compared with every configured hash in
 * constant time.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    private final boolean required;
    private final List<ApiKey> keys;
    private final int port;

    public ApiKeys(Config config, ObjectMapper json) {
        this.required = mode(config.getOptionalValue("silt.auth.mode", String.class), System.getenv())
                .equals("keys");
        this.port = config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        List<ApiKey> all = new ArrayList<>();
        config.getOptionalValue("silt.auth.keys", String.class).filter(s -> !s.isBlank())
                .ifPresent(spec -> all.addAll(KeyParser.parseSpec(spec)));
        Optional<String> file = config.getOptionalValue("silt.auth.keys-file", String.class).filter(s -> !s.isBlank());
        if (file.isPresent()) {
            try {
                all.addAll(KeyParser.parseFile(Path.of(file.get()), json));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read silt.auth.keys-file " + file.get(), e);
            }
        }
        Set<String> revoked = new HashSet<>(config.getOptionalValues("silt.auth.revoked", String.class)
                .orElse(List.of()));
        Set<String> names = new HashSet<>();
        for (ApiKey k : all) {
            if (!names.add(k.name())) {
                throw new IllegalArgumentException("two API keys are named '" + k.name() + "'");
            }
        }
        this.keys = all.stream().filter(k -> !revoked.contains(k.name())).toList();
    }

    /** The mode: configured, or {@code keys} in Lambda, else {@code off}. */
    static String mode(Optional<String> configured, Map<String, String> env) {
        String m = configured.map(s -> s.strip().toLowerCase(Locale.ROOT))
                .orElse(env.containsKey("AWS_LAMBDA_FUNCTION_NAME") ? "keys" : "off");
        if (!m.equals("off") && !m.equals("keys")) {
            throw new IllegalArgumentException("silt.auth.mode must be off or keys, not '" + m + "'");
        }
        return m;
    }

    void announce(@Observes StartupEvent start) {
        if (!required) {
            LOG.warnf("auth is OFF: anyone who can reach port %d can read and write every topic "
                    + "(set silt.auth.mode=keys and silt.auth.keys to require API keys)", port);
        } else if (keys.isEmpty()) {
            LOG.error("auth is ON but no API key is configured (silt.auth.keys, silt.auth.keys-file): every "
                    + "request will be refused with 401");
        } else {
            LOG.infof("auth is ON: %d API key(s): %s", keys.size(), keys.stream().map(ApiKey::name).toList());
        }
    }

    /** Whether requests need a key. */
    public boolean required() {
        return required;
    }

    /** The key whose secret is {@code presented}, if it is configured and not revoked. */
    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = KeyParser.sha256(presented);
        ApiKey found = null;
        for (ApiKey k : keys) {
            if (MessageDigest.isEqual(k.secretHash(), hash)) {
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }
}
