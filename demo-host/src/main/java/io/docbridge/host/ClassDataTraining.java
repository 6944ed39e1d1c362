package io.docbridge.host;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A training run for a class-data archive (AppCDS): starts a host offline on a fresh data folder with the plugin
 * archives of a folder, waits until it is ready, asks it for the sign-in page, and stops. Run under
 * {@code -XX:ArchiveClassesAtExit=FILE}, the JVM writes the classes this loaded into FILE; a host started with
 * {@code -XX:SharedArchiveFile=FILE} maps them instead of loading and verifying them again, which on two cores brings
 * its first page most of a second sooner. The build makes {@code target/docbridge-host.jsa} so. An archive only fits
 * the JDK and the jars it was made with; with another, the JVM says so and starts without it
 * (https://docs.oracle.com/en/java/javase/17/vm/class-data-sharing.html).
 *
 * <pre>java -XX:ArchiveClassesAtExit=docbridge-host.jsa -cp docbridge-host.jar io.docbridge.host.ClassDataTraining PLUGINS</pre>
 */
public final class ClassDataTraining {
    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path builtPlugins = Path.of(args.length > 0 ? args[0] : "plugins");
        Path root = Files.createTempDirectory("docbridge-class-data-training");
        try {
            Path plugins = copyPluginArchives(builtPlugins, root.resolve("plugins"));
            HostConfig config = HostConfig.of(root.resolve("data"), plugins).withPort(0).withEmulatorPort(0)
                    .withEmulatedMicrosoft365().withAdminPassword("class data training only");
            try (DocbridgeHost host = DocbridgeHost.start(config)) {
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!host.started()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the host was not ready within two minutes");
                    }
                    Thread.sleep(20);
                }
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<Void> signIn = http.send(HttpRequest.newBuilder(host.localUrl().resolve("login")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (signIn.statusCode() != 200) {
                    throw new IllegalStateException("the sign-in page answered " + signIn.statusCode());
                }
            }
        } finally {
            delete(root);
        }
        System.exit(0); // the archive is written as the JVM exits
    }

    /**
     * A plugins folder {@code to} holding copies of the plugin zips in {@code from}, and nothing PF4J expanded
     * there: a fresh installation of the same plugins. Returns {@code to}.
     */
    static Path copyPluginArchives(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> archives = Files.list(from)) {
            for (Path archive : archives.filter(p -> p.toString().endsWith(".zip")).toList()) {
                Files.copy(archive, to.resolve(archive.getFileName()));
            }
        }
        return to;
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
