package io.docbridge.host.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built host jar ({@code docbridge.host.jar}) running as a child process, as an operator runs it: for tests
 * that kill it mid-work. Its output goes to a log file beside its data folder.
 */
public final class HostProcess implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "crash-test admin password";

    private final Process process;
    private final URI baseUrl;

    private HostProcess(Process process, URI baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts the host on a free port and waits until it answers.
     *
     * @param extraArgs more command-line options, such as {@code --jdbc-url}
     */
    public static HostProcess start(Path dataDir, Path pluginsDir, List<String> extraArgs) throws Exception {
        return start(dataDir, pluginsDir, extraArgs, Map.of(), List.of());
    }

    /**
     * As {@link #start(Path, Path, List)}, with more environment and JVM options.
     *
     * @return the host, whose {@link #port()} names its scheduler's claims ({@code docbridge-<port>-…})
     */
    public static HostProcess start(Path dataDir, Path pluginsDir, List<String> extraArgs, Map<String, String> env,
                                    List<String> jvmArgs) throws Exception {
        Path jar = Path.of(System.getProperty("docbridge.host.jar", "target/docbridge-host.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is not built: run the integration tests with mvn verify");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(), "--port", Integer.toString(port), "--data",
                dataDir.toString(), "--plugins", pluginsDir.toString(), "--emulator-port", "0"));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling(dataDir.getFileName()
                        + ".log").toFile()));
        builder.environment().putAll(Map.of("DOCBRIDGE_ADMIN_PASSWORD", ADMIN_PASSWORD));
        builder.environment().putAll(env);
        HostProcess host = new HostProcess(builder.start(), URI.create("http://localhost:" + port + "/"));
        host.awaitUp(Duration.ofSeconds(90));
        return host;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public int port() {
        return baseUrl.getPort();
    }

    private void awaitUp(Duration patience) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the host exited with " + process.exitValue() + " while starting");
            }
            try {
                // ready, as a load balancer asks: the plugins and the offline demo's emulator have started
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(baseUrl.resolve("readyz")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        kill();
        throw new IllegalStateException("the host did not answer within " + patience);
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
