package io.docbridge.host.testing;

import io.docbridge.host.DocbridgeHost;
import io.docbridge.host.HostConfig;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A real host on a free port, in folders of the test's own; close it at the end of the test. */
public final class TestHost implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "correct horse battery";

    private final DocbridgeHost host;
    public final Path dataDir;
    public final Path pluginsDir;

    private TestHost(DocbridgeHost host, Path dataDir, Path pluginsDir) {
        this.host = host;
        this.dataDir = dataDir;
        this.pluginsDir = pluginsDir;
    }

    public static TestHost start(Path root) {
        return start(root, c -> c);
    }

    public static TestHost start(Path root, UnaryOperator<HostConfig> adjust) {
        Path data = root.resolve("data");
        Path plugins = root.resolve("plugins");
        HostConfig config = adjust.apply(HostConfig.of(data, plugins).withAdminPassword(ADMIN_PASSWORD));
        DocbridgeHost host = DocbridgeHost.start(config);
        // Ready, as a load balancer waits for it: another instance started next finds this one's emulator.
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
        while (!host.started() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new TestHost(host, data, plugins);
    }

    /**
     * A host in offline mode (Microsoft 365 emulated) with the built plugin archives it names (such as
     * "sharepoint-plugin.zip") in its plugins folder, as an administrator would drop them there. Starting again on
     * the same root keeps them.
     */
    /** The archive of the library plugin the Microsoft plugins depend on. */
    public static final String M365_LIBRARY = "m365-library.zip";

    public static TestHost withMicrosoftPlugins(Path root, String... zips) throws java.io.IOException {
        return withMicrosoftPlugins(root, c -> c, zips);
    }

    /** As {@link #withMicrosoftPlugins(Path, String...)}, with more configuration. */
    public static TestHost withMicrosoftPlugins(Path root, UnaryOperator<HostConfig> adjust, String... zips)
            throws java.io.IOException {
        Path plugins = java.nio.file.Files.createDirectories(root.resolve("plugins"));
        Path built = Path.of(System.getProperty("docbridge.test.plugins", "target/plugins"));
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(zips));
        all.add(M365_LIBRARY); // the Microsoft plugins depend on it
        for (String zip : all) {
            if (!java.nio.file.Files.exists(plugins.resolve(zip))) {
                java.nio.file.Files.copy(built.resolve(zip), plugins.resolve(zip));
            }
        }
        return start(root, c -> adjust.apply(c.withEmulatedMicrosoft365()));
    }

    public URI url(String path) {
        return host.localUrl().resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    public DocbridgeHost host() {
        return host;
    }

    /** A new browser-like session, not signed in. */
    public WebClient client() {
        return new WebClient(host.localUrl());
    }

    /** A session signed in as the first administrator. */
    public WebClient admin() {
        WebClient client = client();
        client.login("admin", ADMIN_PASSWORD);
        return client;
    }

    @Override
    public void close() {
        host.close();
    }
}
