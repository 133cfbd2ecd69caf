package io.silt.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: one {@link SiltStack} named {@code Silt-<stage>}, in the account and region of the CLI's credentials.
 * {@code cdk synth} / {@code cdk deploy} run it (see {@code infra/cdk.json}); the tests build it with {@link #build}.
 */
public final class SiltApp {
    private SiltApp() {}

    /** Synthesizes the app into the CLI's output folder ({@code CDK_OUTDIR}, set by {@code cdk}). */
    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    /** Adds the stack that {@code app}'s context describes, and answers it. */
    public static SiltStack build(App app) {
        SiltSettings settings = SiltSettings.fromContext(app.getNode());
        Environment env = Environment.builder()
                .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                .region(System.getenv("CDK_DEFAULT_REGION"))
                .build();
        return new SiltStack(app, "Silt-" + settings.stage(), StackProps.builder().env(env)
                .description("Silt: a message queue on S3 (" + settings.stage() + ")").build(), settings);
    }
}
