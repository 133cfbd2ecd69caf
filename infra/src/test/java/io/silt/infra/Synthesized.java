package io.silt.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack synthesized once per JVM (starting jsii costs seconds) with the default settings, into
 * {@code infra/<target>/cdk.out} as {@code cdk synth} would write it, and shared by the tests.
 */
final class Synthesized {
    /** The stage the tests deploy. */
    static final String STAGE = "test";
    static final String PREFIX = "silt/";

    static final Path OUT = Path.of(System.getProperty("silt.cdk.out", "target/cdk.out"));
    static final SiltStack STACK;
    static final Template TEMPLATE;
    static final Map<String, Object> JSON;
    /** A second deployment: an existing bucket used whole, a function URL, IAM auth. */
    static final Template URL_IAM;
    /** A third: the HTTP API with IAM auth. */
    static final Template HTTP_IAM;
    /** A fourth: API keys given (as SHA-256 hashes) instead of generated. */
    static final Template GIVEN_KEYS;
    /** The keys {@link #GIVEN_KEYS} is given. */
    static final String KEYS = "app:sha256:" + "ab".repeat(32) + ":produce=orders;consume=*";

    static {
        App app = new App(AppProps.builder().outdir(OUT.toString())
                .context(Map.of("stage", STAGE, "prefix", PREFIX)).build());
        STACK = SiltApp.build(app);
        app.synth();
        TEMPLATE = Template.fromStack(STACK);
        JSON = TEMPLATE.toJSON();

        App variants = new App();
        String zip = System.getProperty("silt.function.zip", SiltSettings.DEFAULT_FUNCTION_ZIP);
        SiltStack urlIam = new SiltStack(variants, "Silt-url", null, new SiltSettings("url", "my-bucket", true, "",
                512, 1024, SiltSettings.Api.URL, SiltSettings.AuthMode.IAM, null, zip, 5, 1, null));
        SiltStack httpIam = new SiltStack(variants, "Silt-iam", null, new SiltSettings("iam", null, false, "silt/",
                512, 1024, SiltSettings.Api.HTTP, SiltSettings.AuthMode.IAM, null, zip, 5, 1, null));
        SiltStack givenKeys = new SiltStack(variants, "Silt-keys", null, new SiltSettings("keys", null, false,
                "silt/", 2048, 1024, SiltSettings.Api.HTTP, SiltSettings.AuthMode.KEYS, KEYS, zip, 15, 1,
                "ops@example.com"));
        // The first Template.fromStack synthesizes the app: every stack must exist by then.
        URL_IAM = Template.fromStack(urlIam);
        HTTP_IAM = Template.fromStack(httpIam);
        GIVEN_KEYS = Template.fromStack(givenKeys);
    }

    private Synthesized() {}

    /** The template's resources of {@code type}, by logical id. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> resources(String type) {
        Map<String, Map<String, Object>> all = (Map<String, Map<String, Object>>) JSON.get("Resources");
        Map<String, Map<String, Object>> out = new TreeMap<>();
        all.forEach((id, r) -> {
            if (type.equals(r.get("Type"))) {
                out.put(id, (Map<String, Object>) r.get("Properties"));
            }
        });
        return out;
    }

    /** A nested value: {@code at(map, "A", "B")} is {@code map.A.B}, or null. */
    @SuppressWarnings("unchecked")
    static Object at(Object node, String... path) {
        Object n = node;
        for (String p : path) {
            if (!(n instanceof Map<?, ?> m)) {
                return null;
            }
            n = ((Map<String, Object>) m).get(p);
        }
        return n;
    }

    /** A value that may be one item or a list, as a list (IAM allows both). */
    static List<Object> list(Object oneOrMany) {
        return oneOrMany instanceof List<?> l ? List.copyOf(l) : oneOrMany == null ? List.of() : List.of(oneOrMany);
    }
}
