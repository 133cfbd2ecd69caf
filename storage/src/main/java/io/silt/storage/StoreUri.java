package io.silt.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed store URI: the one place where Silt reads the strings that name a store. {@link ObjectStores#open}
 * turns one into a store.
 *
 * <ul>
 *   <li>{@code file:/abs/dir}, {@code file:///abs/dir}, {@code file:./rel}, {@code file:rel}: a directory on the local
 *       filesystem. The path is taken literally (no percent-decoding); a relative path is resolved against the working
 *       directory when the store is opened.</li>
 *   <li>{@code mem:} or {@code mem:name}: a fresh in-memory store (the name only labels it).</li>
 *   <li>{@code s3://bucket}, {@code s3://bucket/prefix}: a bucket, optionally under a key prefix (a trailing
 *       {@code /} is added). Query parameters: {@code endpoint} (an {@code http(s)://host[:port]} URL for
 *       S3-compatible servers), {@code region} (default {@code us-east-1}), {@code pathStyle} ({@code true} or
 *       {@code false}; default {@code true} when an endpoint is given, else {@code false}). Credentials never go in the
 *       URI (it ends up in logs): they come from {@code SILT_S3_ACCESS_KEY} / {@code SILT_S3_SECRET_KEY} or the AWS
 *       default provider chain.</li>
 * </ul>
 *
 * <p>Every problem is a {@link StoreConfigurationException} that says what is wrong and what is expected. Error
 * messages never repeat the values of unknown query parameters, so a secret put there by mistake is not logged.
 */
public final class StoreUri {
    /** What kind of store a URI names. */
    public enum Kind { FILE, MEM, S3 }

    /** The query parameters an {@code s3://} URI accepts. */
    public static final List<String> S3_PARAMETERS = List.of("endpoint", "region", "pathStyle");

    static final String EXPECTED = "expected file:/path/to/dir, file:relative/dir, mem:[name] or"
            + " s3://bucket[/prefix][?endpoint=http://host:port&region=us-east-1&pathStyle=true]";

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern MEM_NAME = Pattern.compile("[A-Za-z0-9._-]*");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final Kind kind;
    private final Path path;
    private final String name;
    private final String bucket;
    private final String prefix;
    private final String region;
    private final URI endpoint;
    private final Boolean pathStyle;

    private StoreUri(Kind kind, Path path, String name, String bucket, String prefix, String region, URI endpoint,
            Boolean pathStyle) {
        this.kind = kind;
        this.path = path;
        this.name = name;
        this.bucket = bucket;
        this.prefix = prefix;
        this.region = region;
        this.endpoint = endpoint;
        this.pathStyle = pathStyle;
    }

    /**
     * Parses a store URI.
     *
     * @throws StoreConfigurationException naming what is wrong
     */
    public static StoreUri parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new StoreConfigurationException("the store URI is empty; " + EXPECTED);
        }
        String text = uri.strip();
        int colon = text.indexOf(':');
        if (colon <= 0 || !SCHEME.matcher(text.substring(0, colon)).matches()) {
            String hint = text.startsWith("/") || text.startsWith(".") ? " (did you mean 'file:" + text + "'?)" : "";
            throw new StoreConfigurationException("store URI '" + text + "' has no scheme" + hint + "; " + EXPECTED);
        }
        String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = text.substring(colon + 1);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        return switch (scheme) {
            case "file" -> parseFile(text, rest, query);
            case "mem" -> parseMem(text, rest, query);
            case "s3" -> parseS3(text, rest, query);
            default -> throw new StoreConfigurationException("unknown store URI scheme '" + scheme + ":' in '"
                    + redact(text) + "'; " + EXPECTED);
        };
    }

    private static StoreUri parseFile(String text, String rest, String query) {
        noParameters("file:", text, query);
        String p = rest;
        if (p.startsWith("//")) {
            int slash = p.indexOf('/', 2);
            String authority = slash < 0 ? p.substring(2) : p.substring(2, slash);
            if (!authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
                throw new StoreConfigurationException("file URI '" + text + "' names host '" + authority
                        + "'; only local directories are supported: use file:/path or file:///path");
            }
            p = slash < 0 ? "" : p.substring(slash);
        }
        if (p.isEmpty()) {
            throw new StoreConfigurationException("file URI '" + text + "' has an empty path; "
                    + "expected file:/path/to/dir or file:relative/dir");
        }
        try {
            return new StoreUri(Kind.FILE, Path.of(p), null, null, null, null, null, null);
        } catch (InvalidPathException e) {
            throw new StoreConfigurationException("file URI '" + text + "' has an invalid path: " + e.getMessage(), e);
        }
    }

    private static StoreUri parseMem(String text, String rest, String query) {
        noParameters("mem:", text, query);
        if (!MEM_NAME.matcher(rest).matches()) {
            throw new StoreConfigurationException("mem URI '" + text + "' has an invalid name '" + rest
                    + "'; use mem: or mem:name with letters, digits, '.', '_' or '-'");
        }
        return new StoreUri(Kind.MEM, null, rest, null, null, null, null, null);
    }

    private static StoreUri parseS3(String text, String rest, String query) {
        if (!rest.startsWith("//")) {
            throw new StoreConfigurationException("S3 URI '" + redact(text) + "' must start with s3://; "
                    + "expected s3://bucket[/prefix]");
        }
        String afterSlashes = rest.substring(2);
        int slash = afterSlashes.indexOf('/');
        String bucket = slash < 0 ? afterSlashes : afterSlashes.substring(0, slash);
        String prefix = slash < 0 ? "" : afterSlashes.substring(slash + 1);
        if (bucket.contains("@")) {
            throw new StoreConfigurationException("S3 URI has credentials before the bucket name; credentials do not"
                    + " belong in a store URI (it ends up in logs): set SILT_S3_ACCESS_KEY and SILT_S3_SECRET_KEY,"
                    + " or use the AWS default provider chain");
        }
        Map<String, String> params = parameters(text, query, S3_PARAMETERS);
        if (bucket.isEmpty()) {
            throw new StoreConfigurationException("S3 URI '" + redact(text) + "' has no bucket name; "
                    + "expected s3://bucket[/prefix]");
        }
        validateBucket(bucket);
        if (!prefix.isEmpty()) {
            if (!prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            try {
                ObjectKeys.validatePrefix(prefix);
            } catch (InvalidKeyException e) {
                throw new StoreConfigurationException("S3 URI '" + redact(text) + "' has an invalid key prefix: "
                        + e.getMessage(), e);
            }
        }
        String region = params.getOrDefault("region", S3ObjectStore.DEFAULT_REGION);
        if (!REGION.matcher(region).matches()) {
            throw new StoreConfigurationException("S3 URI '" + redact(text) + "' has an invalid region '" + region
                    + "'; expected a region name such as us-east-1");
        }
        URI endpoint = params.containsKey("endpoint") ? endpoint(params.get("endpoint")) : null;
        Boolean pathStyle = params.containsKey("pathStyle") ? bool("pathStyle", params.get("pathStyle")) : null;
        return new StoreUri(Kind.S3, null, null, bucket, prefix, region, endpoint, pathStyle);
    }

    /** Checks a bucket name against S3's rules (3-63 characters; lower-case letters, digits, dots, hyphens). */
    static void validateBucket(String bucket) {
        String problem = null;
        if (bucket.length() < 3 || bucket.length() > 63) {
            problem = "is " + bucket.length() + " characters long; bucket names have 3 to 63";
        } else if (!bucket.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
                || c == '-')) {
            problem = bucket.chars().anyMatch(c -> c >= 'A' && c <= 'Z')
                    ? "has upper-case letters; bucket names are lower-case"
                    : "may only contain lower-case letters, digits, '.' and '-'";
        } else if (!Character.isLetterOrDigit(bucket.charAt(0))
                || !Character.isLetterOrDigit(bucket.charAt(bucket.length() - 1))) {
            problem = "must begin and end with a letter or digit";
        } else if (bucket.contains("..")) {
            problem = "must not contain two adjacent dots";
        } else if (IP_ADDRESS.matcher(bucket).matches()) {
            problem = "must not look like an IP address";
        }
        if (problem != null) {
            throw new StoreConfigurationException("invalid S3 bucket name '" + bucket + "': it " + problem);
        }
    }

    private static URI endpoint(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new StoreConfigurationException("bad endpoint URL '" + value + "': " + e.getMessage()
                    + "; expected http://host:port or https://host[:port]", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String problem = null;
        if (!scheme.equals("http") && !scheme.equals("https")) {
            problem = "it must start with http:// or https://";
        } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
            problem = "it has no host name";
        } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problem = "it must not have a query or fragment";
        } else if (uri.getRawUserInfo() != null) {
            problem = "it must not carry user information";
        } else if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            problem = "it must not have a path (the bucket goes after s3://)";
        }
        if (problem != null) {
            String shown = uri.getRawUserInfo() == null ? value : value.replace(uri.getRawUserInfo(), "***");
            throw new StoreConfigurationException("bad endpoint URL '" + shown + "': " + problem
                    + "; expected http://host:port or https://host[:port]");
        }
        return uri;
    }

    private static boolean bool(String name, String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new StoreConfigurationException("query parameter '" + name + "' must be true or false, was '" + value
                + "'");
    }

    private static void noParameters(String scheme, String text, String query) {
        if (query != null) {
            Map<String, String> params = parameters(text, query, List.of());
            if (params.isEmpty()) {
                throw new StoreConfigurationException("store URI '" + redact(text) + "' has an empty query; " + scheme
                        + " URIs take no query parameters");
            }
        }
    }

    /**
     * Splits {@code a=1&b=2}, matching names against {@code known} case-insensitively and returning them in their
     * canonical spelling. Unknown names are reported by name only, never with their values.
     */
    private static Map<String, String> parameters(String text, String query, List<String> known) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        String scheme = text.substring(0, text.indexOf(':') + 1).toLowerCase(Locale.ROOT);
        for (String part : query.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String rawName = eq < 0 ? part : part.substring(0, eq);
            String name = known.stream().filter(k -> k.equalsIgnoreCase(rawName)).findFirst().orElse(null);
            if (name == null) {
                String lower = rawName.toLowerCase(Locale.ROOT);
                String secretHint = lower.contains("key") || lower.contains("secret") || lower.contains("token")
                        || lower.contains("password") || lower.contains("credential")
                        ? " Credentials do not belong in a store URI (it ends up in logs): set SILT_S3_ACCESS_KEY and"
                        + " SILT_S3_SECRET_KEY, or use the AWS default provider chain."
                        : "";
                throw new StoreConfigurationException("unknown query parameter '" + rawName + "' in " + scheme
                        + " URI; " + (known.isEmpty() ? scheme + " URIs take no query parameters"
                        : "known parameters: " + String.join(", ", known)) + "." + secretHint);
            }
            if (eq < 0) {
                throw new StoreConfigurationException("query parameter '" + name + "' has no value; write "
                        + name + "=...");
            }
            String value;
            try {
                value = URLDecoder.decode(part.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new StoreConfigurationException("query parameter '" + name + "' is not properly %-encoded", e);
            }
            if (value.isEmpty()) {
                throw new StoreConfigurationException("query parameter '" + name + "' is empty");
            }
            if (out.put(name, value) != null) {
                throw new StoreConfigurationException("query parameter '" + name + "' is given twice");
            }
        }
        return out;
    }

    /** The URI with the query cut off, for error messages (query values may hold things that must not be logged). */
    private static String redact(String text) {
        int q = text.indexOf('?');
        String base = q < 0 ? text : text.substring(0, q) + "?...";
        int colon = base.indexOf(':');
        if (colon < 0 || !base.startsWith("//", colon + 1)) {
            return base;
        }
        int authorityEnd = base.indexOf('/', colon + 3);
        String authority = authorityEnd < 0 ? base.substring(colon + 3) : base.substring(colon + 3, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return base;
        }
        return base.substring(0, colon + 3) + "***" + base.substring(colon + 3 + at);
    }

    public Kind kind() {
        return kind;
    }

    /** The directory of a {@code file:} URI. */
    public Path path() {
        require(Kind.FILE);
        return path;
    }

    /** The name of a {@code mem:} URI; empty for plain {@code mem:}. */
    public String name() {
        require(Kind.MEM);
        return name;
    }

    /** The bucket of an {@code s3:} URI. */
    public String bucket() {
        require(Kind.S3);
        return bucket;
    }

    /** The key prefix of an {@code s3:} URI: empty, or ending with {@code /}. */
    public String prefix() {
        require(Kind.S3);
        return prefix;
    }

    /** The region of an {@code s3:} URI ({@code us-east-1} unless given). */
    public String region() {
        require(Kind.S3);
        return region;
    }

    /** The endpoint override of an {@code s3:} URI, if any. */
    public Optional<URI> endpoint() {
        require(Kind.S3);
        return Optional.ofNullable(endpoint);
    }

    /** Whether to use path-style addressing: as given, or {@code true} exactly when an endpoint is given. */
    public boolean pathStyle() {
        require(Kind.S3);
        return pathStyle != null ? pathStyle : endpoint != null;
    }

    private void require(Kind expected) {
        if (kind != expected) {
            throw new IllegalStateException("a " + kind + " store URI has no " + expected + " settings: " + this);
        }
    }

    /** The URI in canonical form; it carries no secrets. */
    @Override
    public String toString() {
        return switch (kind) {
            case FILE -> "file:" + path;
            case MEM -> "mem:" + name;
            case S3 -> {
                StringBuilder sb = new StringBuilder("s3://").append(bucket);
                if (!prefix.isEmpty()) {
                    sb.append('/').append(prefix, 0, prefix.length() - 1);
                }
                String sep = "?";
                if (endpoint != null) {
                    sb.append(sep).append("endpoint=").append(endpoint);
                    sep = "&";
                }
                if (!region.equals(S3ObjectStore.DEFAULT_REGION)) {
                    sb.append(sep).append("region=").append(region);
                    sep = "&";
                }
                if (pathStyle != null) {
                    sb.append(sep).append("pathStyle=").append(pathStyle);
                }
                yield sb.toString();
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreUri u && u.kind == kind && Objects.equals(u.path, path) && Objects.equals(u.name, name)
                && Objects.equals(u.bucket, bucket) && Objects.equals(u.prefix, prefix)
                && Objects.equals(u.region, region) && Objects.equals(u.endpoint, endpoint)
                && Objects.equals(u.pathStyle, pathStyle);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, path, name, bucket, prefix, region, endpoint, pathStyle);
    }
}
