package io.docbridge.emulator;

import io.docbridge.emulator.control.ControlServlet;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.graph.Faults;
import io.docbridge.emulator.graph.GraphServlet;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.emulator.identity.IdentityServlet;
import io.docbridge.emulator.identity.IdentitySettings;
import io.docbridge.emulator.identity.RefreshTokens;
import io.docbridge.emulator.identity.TokenIssuer;
import io.docbridge.emulator.tls.Certificates;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The emulator: one HTTPS port that serves sign-in (as login.microsoftonline.com does) and, later, Graph (as
 * graph.microsoft.com does). URLs it hands out are built from the host and port the client called.
 */
public final class M365Emulator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(M365Emulator.class);

    private final Server server;
    private final Certificates certificates;
    private final Directory directory;
    private final EmulatorClock clock;
    private final URI baseUrl;
    private final DriveStore drives;
    private final Faults faults;
    private final io.docbridge.emulator.graph.Subscriptions subscriptions;
    private final RefreshTokens refreshTokens;
    private final TokenIssuer issuer;
    private final StateFile stateFile;
    private final boolean restored;
    /** The folder made for an emulator without a data folder, removed when it closes; null otherwise. */
    private final Path temporaryRoot;
    /** New at every start, so a token copied from an old run or a log does not work. */
    private final String controlToken = newControlToken();
    private final ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "emulator-state-saver");
        t.setDaemon(true);
        return t;
    });
    private long savedChanges = -1;

    private M365Emulator(Builder b) throws Exception {
        this.clock = new EmulatorClock();
        this.directory = new Directory();
        this.refreshTokens = new RefreshTokens();
        Path root = b.dataDir != null ? PrivateFiles.folder(b.dataDir) : Files.createTempDirectory("m365-emulator");
        this.temporaryRoot = b.dataDir != null ? null : root;
        this.certificates = tlsIdentity(b, root);
        this.drives = new DriveStore(root.resolve("content"), clock);
        this.faults = new Faults();
        this.subscriptions = new io.docbridge.emulator.graph.Subscriptions(drives, clock);
        this.stateFile = b.dataDir != null ? new StateFile(b.dataDir) : null;
        Optional<StateFile.State> saved = stateFile == null ? Optional.empty() : stateFile.load();
        saved.ifPresent(state -> {
            // Tokens and revocations carry the clock's times: time moved forward before the restart stays moved.
            clock.restore(state.clockOffset());
            directory.restore(state.directory());
            drives.restore(state.drives());
            refreshTokens.restore(state.refreshTokens());
        });
        this.issuer = saved.map(state -> new TokenIssuer(clock, state.signingKey())).orElseGet(() -> new TokenIssuer(clock));
        this.restored = saved.isPresent();

        server = new Server();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(certificates.serverKeyStore());
        tls.setKeyStorePassword(new String(Certificates.KEYSTORE_PASSWORD));
        HttpConfiguration https = new HttpConfiguration();
        https.setSendServerVersion(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // any name that reaches us (DNS pointed at the emulator) is served
        https.addCustomizer(secure);
        // Graph clients send item paths percent-encoded in one segment (root%3A%2Fa%2Fb.txt%3A).
        https.setUriCompliance(UriCompliance.LEGACY);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(b.bindAddress);
        connector.setPort(b.port);
        server.addConnector(connector);
        connector.open();
        baseUrl = URI.create("https://localhost:" + connector.getLocalPort() + "/");

        IdentitySettings identity = new IdentitySettings(b.accessTokenLifetime, Duration.ofDays(90),
                baseUrl.toString(), b.signInHint);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.addServlet(new ServletHolder(new IdentityServlet(directory, issuer, refreshTokens, clock, identity)),
                "/");
        ServletHolder graph = new ServletHolder(new GraphServlet(drives, directory, issuer, clock, faults, b.hostNames,
                subscriptions));
        context.addServlet(graph, "/v1.0/*");
        context.addServlet(graph, "/_download/*");
        context.addServlet(graph, "/_upload/*");
        context.addServlet(graph, "/_monitor/*");
        context.addServlet(new ServletHolder(new ControlServlet(directory, drives, faults, clock, controlToken)), "/_control/*");
        server.setHandler(context);
        server.start();

        try (var out = PrivateFiles.newFile(root.resolve("control-token"))) {
            out.write(controlToken.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        try (var out = PrivateFiles.newFile(root.resolve("ca.pem"))) {
            out.write(certificates.caPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        PrivateFiles.restrict(root); // what an older version wrote readable to all
        if (stateFile != null) {
            saver.scheduleWithFixedDelay(this::saveIfChanged, 1, 1, TimeUnit.SECONDS);
        }
        log.info("M365 emulator listening on {}{}", baseUrl, restored ? " (state restored from " + b.dataDir + ")" : "");
    }

    /** A user-supplied key store, else the one saved in the data folder, else a new one (saved there). */
    private static Certificates tlsIdentity(Builder b, Path root) {
        if (b.keyStore != null) {
            return Certificates.fromKeyStore(b.keyStore, b.keyStorePassword);
        }
        Path saved = root.resolve("tls.p12");
        if (b.dataDir != null && Files.exists(saved)) {
            return Certificates.fromKeyStore(saved, Certificates.KEYSTORE_PASSWORD);
        }
        Certificates fresh = Certificates.generate(b.hostNames);
        if (b.dataDir != null) {
            fresh.save(saved);
        }
        return fresh;
    }

    /** Whether this start loaded saved state (so a caller does not seed twice). */
    public boolean restored() {
        return restored;
    }

    /** Writes the state to the data folder now, if anything changed since the last write. */
    public synchronized void saveIfChanged() {
        if (stateFile == null) {
            return;
        }
        try {
            long changes = directory.changes() + drives.changes() + refreshTokens.changes() + clock.changes();
            if (changes != savedChanges) {
                stateFile.save(new StateFile.State(1, directory.snapshot(), drives.snapshot(),
                        refreshTokens.snapshot(), issuer.export(), clock.offset()));
                savedChanges = changes;
            }
        } catch (RuntimeException e) {
            log.warn("Saving the emulator state failed: {}", e.toString());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** https://localhost:port/ */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The authority of a tenant (id, domain, common or organizations), as msal4j takes it. */
    public String authority(String tenant) {
        return baseUrl + tenant + "/";
    }

    /** The Graph v1.0 base, as the Graph SDK takes it. */
    public String graphUrl() {
        return baseUrl + "v1.0";
    }

    public Directory directory() {
        return directory;
    }

    /** Drives, sites and items: seed them, or change them behind a client's back. */
    public DriveStore drives() {
        return drives;
    }

    /** Throttling, dropped connections, latency, and the request log. */
    /** Change-notification subscriptions on drives, and their deliveries. */
    public io.docbridge.emulator.graph.Subscriptions subscriptions() {
        return subscriptions;
    }

    public Faults faults() {
        return faults;
    }

    /** Move it forward to expire tokens and sessions. */
    public EmulatorClock clock() {
        return clock;
    }

    private static String newControlToken() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The token of this start that the control API ({@code /_control/}) asks for, in its header. */
    public String controlToken() {
        return controlToken;
    }

    public String caPem() {
        return certificates.caPem();
    }

    public javax.net.ssl.X509TrustManager trustManager() {
        return certificates.trustManager();
    }

    /** An SSL context that trusts this emulator, for clients in the same JVM. */
    public SSLContext clientSslContext() {
        return certificates.clientContext();
    }

    @Override
    public void close() {
        saver.shutdownNow();
        subscriptions.close();
        saveIfChanged();
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("Stopping the emulator failed", e);
        }
        if (temporaryRoot != null) { // its files, certificates and keys, which nothing will read again
            try (var all = Files.walk(temporaryRoot)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                log.warn("Could not remove the emulator's temporary folder {}: {}", temporaryRoot, e.getMessage());
            }
        }
    }

    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port;
        private final List<String> hostNames = new ArrayList<>(List.of("localhost", "127.0.0.1"));
        private Path keyStore;
        private char[] keyStorePassword;
        private Path dataDir;
        private String signInHint = "";
        private Duration accessTokenLifetime = Duration.ofMinutes(60);

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder bindAddress(String address) {
            this.bindAddress = address;
            return this;
        }

        /** More names for the generated certificate, such as login.microsoftonline.com. */
        public Builder hostName(String name) {
            hostNames.add(name);
            return this;
        }

        /** Serve TLS with this PKCS12 key store instead of a generated certificate. */
        public Builder keyStore(Path pkcs12, char[] password) {
            this.keyStore = pkcs12;
            this.keyStorePassword = password.clone();
            return this;
        }

        /** Where ca.pem (and, later, state) is written. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** HTML shown under the sign-in form, such as the demo accounts and passwords. */
        public Builder signInHint(String html) {
            this.signInHint = html;
            return this;
        }

        public Builder accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = lifetime;
            return this;
        }

        public M365Emulator start() {
            try {
                return new M365Emulator(this);
            } catch (IOException e) {
                throw new IllegalStateException("The emulator cannot listen on port " + port + ": " + e.getMessage(), e);
            } catch (Exception e) {
                throw new IllegalStateException("The emulator could not start: " + e.getMessage(), e);
            }
        }
    }
}
