package io.silt.infra;

import static io.silt.infra.Synthesized.at;
import static io.silt.infra.Synthesized.resources;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The functions the stack deploys are exactly the Lambda handlers that exist in the {@code functions} module: the
 * {@code @Named} classes that implement {@link RequestHandler} or {@link RequestStreamHandler}, found by scanning
 * the silt-functions classes on the test classpath (not a copied list).
 */
class HandlerNamesTest {
    private static final String PACKAGE = "io/silt/functions/";
    private static final byte[] LAMBDA_RUNTIME = "com/amazonaws/services/lambda/runtime/Request"
            .getBytes(StandardCharsets.UTF_8);

    /** The handler names in the functions module's classes. */
    static TreeSet<String> handlersInCode() throws IOException, URISyntaxException {
        URL root = HandlerNamesTest.class.getClassLoader().getResource(PACKAGE);
        assertThat(root).as("silt-functions on the test classpath").isNotNull();
        TreeSet<String> names = new TreeSet<>();
        for (String resource : classResources(root)) {
            byte[] bytes;
            try (InputStream in = HandlerNamesTest.class.getClassLoader().getResourceAsStream(resource)) {
                bytes = in.readAllBytes();
            }
            // Only classes that name the Lambda handler interfaces are loaded (the rest need Quarkus to load).
            if (indexOf(bytes, LAMBDA_RUNTIME) < 0) {
                continue;
            }
            String className = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
            Class<?> c;
            try {
                c = Class.forName(className, false, HandlerNamesTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            Named named = c.getAnnotation(Named.class);
            if (named != null && (RequestHandler.class.isAssignableFrom(c)
                    || RequestStreamHandler.class.isAssignableFrom(c))) {
                names.add(named.value());
            }
        }
        return names;
    }

    private static TreeSet<String> classResources(URL root) throws IOException, URISyntaxException {
        TreeSet<String> out = new TreeSet<>();
        if (root.getProtocol().equals("jar")) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false); // a JarFile of our own, closed below
            try (JarFile jar = connection.getJarFile()) {
                jar.stream().map(JarEntry::getName).filter(n -> n.startsWith(PACKAGE) && n.endsWith(".class"))
                        .forEach(out::add);
            }
        } else {
            Path dir = Path.of(root.toURI());
            Path base = dir.getParent().getParent().getParent();
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(p -> p.toString().endsWith(".class"))
                        .forEach(p -> out.add(base.relativize(p).toString().replace('\\', '/')));
            }
        }
        return out;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void theStackDeploysOneFunctionPerHandlerInTheCode() throws Exception {
        TreeSet<String> inCode = handlersInCode();
        assertThat(inCode).as("handlers found in silt-functions").isNotEmpty();

        TreeSet<String> deployed = new TreeSet<>();
        resources("AWS::Lambda::Function").values().forEach(f ->
                deployed.add((String) at(f, "Environment", "Variables", "QUARKUS_LAMBDA_HANDLER")));
        assertThat(deployed).isEqualTo(inCode);
        assertThat(Arrays.stream(SiltFunction.values()).map(SiltFunction::handler)).containsExactlyInAnyOrderElementsOf(
                inCode);
    }
}
