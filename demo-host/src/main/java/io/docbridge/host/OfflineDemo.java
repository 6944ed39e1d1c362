package io.docbridge.host;

import io.docbridge.api.SignInProvider;
import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.host.db.ClusterLock;
import io.docbridge.host.integrations.Integrations;
import io.docbridge.host.services.HostServices;
import io.docbridge.host.plugins.PluginSystem;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The offline demo: the M365 emulator, started in-process with a demo tenant, stands in for Microsoft 365 while no
 * app registration is given (by the environment or an administrator). This is all the host knows of Microsoft: the
 * id and field names of the integration the Microsoft plugins contribute, which it fills with the emulator's values
 * (through {@link Integrations}, never the plugins' own stores).
 */
public final class OfflineDemo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OfflineDemo.class);
    /** The integration the Microsoft plugins contribute, and the names of its fields. */
    static final String INTEGRATION = "microsoft365";
    static final String NOTICE = "Offline demo: Microsoft 365 is emulated. Docbridge's own sign-in takes Docbridge "
            + "accounts; the emulated Microsoft sign-in page (after Connect with Microsoft) takes the demo accounts it "
            + "lists, such as megan@" + DemoSeed.TENANT_DOMAIN + ".";

    private final HostConfig config;
    private final Jdbi db;
    private final HostServices services;
    private final PluginSystem plugins;
    private final Path dataDir;
    private volatile M365Emulator emulator;
    /** The emulator's start (done once it runs, or failed). */
    private volatile CompletableFuture<Void> starting = CompletableFuture.completedFuture(null);
    /** Completed once the host answers, or something needs the emulator sooner: its start waits for it. */
    private final CompletableFuture<Void> hostAnswering = new CompletableFuture<>();
    private volatile boolean emulatesAtStart;

    OfflineDemo(HostConfig config, Jdbi db, HostServices services, PluginSystem plugins, Path dataDir) {
        this.config = config;
        this.db = db;
        this.services = services;
        this.plugins = plugins;
        this.dataDir = dataDir;
    }

    /**
     * Starts the emulator if the demo is allowed, a Microsoft plugin runs, and nothing else is configured (call it
     * once the plugins have started): on a thread of its own once the host answers ({@link #hostAnswers()}), or as
     * soon as something reads the integration's values or waits for the emulator. A fresh emulator makes its
     * certificates and keys, most of a second of a core; the first page does not need it, and on a two-core machine
     * it made that page half a second later. The integration's values are read only once it runs.
     */
    void startIfWanted() {
        Integrations.Source source = integrations().source(INTEGRATION);
        if (config.emulateMicrosoft365() && integrations().find(INTEGRATION).isPresent()
                && (source == Integrations.Source.NONE || source == Integrations.Source.DEMO)) {
            starting = hostAnswering.thenRunAsync(this::emulate,
                    DocbridgeHost.threadOfItsOwn("docbridge-offline-demo")).whenComplete((ok, failure) -> {
                        if (failure != null && !hostAnswering.isCancelled()) {
                            log.error("The offline demo could not start the Microsoft 365 emulator: {}",
                                    failure.getCause().getMessage(), failure.getCause());
                        }
                    });
            integrations().preparing(INTEGRATION, starting, this::hostAnswers);
            emulatesAtStart = true;
        }
    }

    /** Whether the emulator starts (or started) with the host: {@link #started()} has something to wait for. */
    boolean emulatesAtStart() {
        return emulatesAtStart;
    }

    /** The host answers requests now: the emulator, if the demo runs one, starts (if it has not yet). */
    void hostAnswers() {
        hostAnswering.complete(null);
    }

    /** Whether the emulator's start with the host is over (it runs, or it failed and said why): ready for traffic. */
    public boolean started() {
        return starting.isDone();
    }

    /** Waits for the emulator's start, if one is under way; its failure was logged. */
    private void awaitStart() {
        hostAnswers(); // waiting for the emulator: no reason for it to wait any longer
        try {
            starting.get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // logged where it happened; the demo is simply not running
        }
    }

    private Integrations integrations() {
        return services.integrations();
    }

    /** The integration the emulator stands in for. */
    public String integrationId() {
        return INTEGRATION;
    }

    /** What Admin → Integrations says while the demo is in use. */
    public String state() {
        return startFailure().map(why -> "Offline demo: the built-in Microsoft 365 emulator could not start (" + why
                + ").").orElse("Offline demo: Microsoft 365 is emulated on this machine.");
    }

    /** Why the emulator did not start with the host, if it did not. */
    public Optional<String> startFailure() {
        awaitStart();
        try {
            starting.getNow(null);
            return Optional.empty();
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Optional.of(cause.getMessage() != null ? cause.getMessage() : cause.toString());
        }
    }

    /** Whether the demo may be chosen: allowed, and no registration fixed by the environment. */
    public boolean available() {
        return config.emulateMicrosoft365() && integrations().source(INTEGRATION) != Integrations.Source.ENVIRONMENT;
    }

    /** Whether people are working against the emulator now (every page says so). */
    public boolean active() {
        if (!starting.isDone()) {
            return true; // the emulator is starting: pages say so without waiting for it
        }
        return integrations().source(INTEGRATION) == Integrations.Source.DEMO;
    }

    /** Forgets a saved registration and goes back to the emulator. */
    public void use() {
        awaitStart(); // outside the lock, which the start holds while it runs
        if (!available()) {
            throw new IllegalStateException("The built-in emulator is not available on this host.");
        }
        integrations().forgetSaved(INTEGRATION);
        emulate();
        starting = CompletableFuture.completedFuture(null); // running now, whatever happened at start
    }

    private synchronized void emulate() {
        // Instances starting together on one database would each find no emulator running and start their own.
        ClusterLock.holding(db, ClusterLock.OFFLINE_DEMO_EMULATOR, this::emulateHoldingTheLock);
    }

    private void emulateHoldingTheLock() {
        Optional<URI> another = anotherInstancesEmulator();
        if (emulator == null && another.isPresent()) {
            // Several instances on one database in offline mode: the first one's emulator serves them all (its
            // tenant, app and tokens are what the shared database already refers to).
            log.info("Microsoft 365 is emulated by another instance at {}", another.get());
            return;
        }
        if (emulator == null) {
            emulator = M365Emulator.builder().port(config.emulatorPort())
                    .dataDir(dataDir.resolve("m365-emulator")).signInHint(DemoSeed.signInHint()).start();
            if (!emulator.restored()) {
                DemoSeed.seed(emulator);
            }
        }
        Directory.Tenant tenant = emulator.directory().tenant(DemoSeed.TENANT_DOMAIN).orElseThrow();
        List<String> redirects = redirectUris();
        Optional<Directory.App> existing = emulator.directory().apps().stream()
                .filter(a -> a.displayName().equals("Docbridge")).findFirst();
        Directory.App app;
        if (existing.isEmpty()) {
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            app = emulator.directory().addApp("Docbridge", redirects, List.of(HexFormat.of().formatHex(secret)))
                    .withPersonalAccounts(true);
        } else {
            List<String> uris = new ArrayList<>(existing.get().redirectUris());
            redirects.stream().filter(r -> !uris.contains(r)).forEach(uris::add);
            app = new Directory.App(existing.get().clientId(), "Docbridge", uris, existing.get().secrets(), true);
        }
        emulator.directory().putApp(app);
        emulator.saveIfChanged();
        integrations().demo(INTEGRATION, Map.of("cloud", emulator.baseUrl().toString(), "tenant", tenant.id(),
                "clientId", app.clientId(), "clientSecret", app.secrets().get(0), "extraCaPem", emulator.caPem(),
                "personalAccounts", "true"));
        log.info("Microsoft 365 is emulated at {} (tenant {}, app {})", emulator.baseUrl(), tenant.domain(),
                app.clientId());
    }

    /** Where the running plugins' sign-ins come back: the emulated app registration lists them all. */
    private List<String> redirectUris() {
        return plugins.startedIds().stream()
                .filter(id -> !plugins.extensions(SignInProvider.class, id).isEmpty())
                .map(id -> services.signIns(id).redirectUri().toString()).sorted().toList();
    }

    /** The emulator another instance on this database started, if its address answers. */
    private Optional<URI> anotherInstancesEmulator() {
        Optional<URI> saved = integrations().demo(INTEGRATION).map(v -> v.getOrDefault("cloud", ""))
                .filter(c -> c.startsWith("https://")).map(URI::create);
        if (emulator != null || saved.isEmpty()) {
            return Optional.empty();
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(saved.get().getHost(), saved.get().getPort()), 500);
            return saved;
        } catch (IOException | IllegalArgumentException nobody) {
            return Optional.empty();
        }
    }

    /** The emulator, while it runs here. */
    Optional<M365Emulator> emulator() {
        awaitStart();
        return Optional.ofNullable(emulator);
    }

    @Override
    public void close() {
        hostAnswering.cancel(false); // a host that never answered: its emulator never starts
        awaitStart();
        if (emulator != null) {
            emulator.close();
        }
    }
}
