package io.docbridge.host;

import io.docbridge.host.auth.Role;
import io.docbridge.host.auth.Users;
import io.docbridge.host.db.Database;
import io.docbridge.host.documents.DocumentService;
import io.docbridge.host.tasks.HostScheduler;
import io.docbridge.host.services.HostServices;
import io.docbridge.host.plugins.PluginSystem;
import io.docbridge.host.services.SecretCipher;
import io.docbridge.host.storage.LocalDiskStorageType;
import io.docbridge.host.storage.StorageProviders;
import io.docbridge.host.web.DocumentsServlet;
import io.docbridge.host.web.IntegrationsAdminServlet;
import io.docbridge.host.web.LoginServlet;
import io.docbridge.host.web.OperationsServlet;
import io.docbridge.host.web.Pages;
import io.docbridge.host.web.PluginDispatcherServlet;
import io.docbridge.host.web.PluginsAdminServlet;
import io.docbridge.host.web.RequestMetrics;
import io.docbridge.host.web.SecurityFilter;
import io.docbridge.host.web.StartGate;
import io.docbridge.host.web.StaticServlet;
import io.docbridge.host.web.StorageSettingsServlet;
import io.docbridge.host.web.UsersAdminServlet;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The demo platform: database, plugins, storage, documents and the web pages, on one Jetty server. Start it with
 * {@link #start(HostConfig)}; close it to stop.
 */
public final class DocbridgeHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DocbridgeHost.class);
    /**
     * How long a stopping host lets the requests it is answering finish: within the 30 s Kubernetes gives a pod
     * between SIGTERM and SIGKILL, with room for the rest of the stop.
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final String STARTING_NOTICE = "Docbridge is starting its plugins; the other pages follow in a "
            + "moment.";

    private final HostConfig config;
    private final Server server;
    private final URI baseUrl;
    private final URI localUrl;
    private final Database database;
    private final HostScheduler scheduler;
    private final PluginSystem plugins;
    private final StorageProviders storage;
    private final String generatedAdminPassword;
    private final OfflineDemo offlineDemo;
    private final HostServices services;
    private final PrometheusMeterRegistry metrics;
    private final JvmGcMetrics jvmGc;
    private final io.docbridge.host.drives.ExternalDrives externalDrives;
    /** Closed until the plugins have started: the sign-in page answers sooner than the rest. */
    private final StartGate startGate;

    private DocbridgeHost(HostConfig config) throws Exception {
        this.config = config;
        Path dataDir = createPrivateDir(config.dataDir(), "data");
        createDir(config.pluginsDir(), "plugins");
        Path uploads = createPrivateDir(dataDir.resolve("uploads"), "uploads");

        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.bindAddress());
        connector.setPort(config.port());
        server.addConnector(connector);
        try {
            connector.open();
        } catch (IOException e) {
            throw new HostStartupException("Cannot listen on " + config.bindAddress() + ":" + config.port() + ": "
                    + e.getMessage() + ". Is another program using the port? Choose another with --port.", e);
        }
        localUrl = URI.create("http://localhost:" + connector.getLocalPort() + "/");
        baseUrl = config.publicBaseUrl() != null ? URI.create(withSlash(config.publicBaseUrl())) : localUrl;

        metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        jvmGc = new JvmGcMetrics();
        jvmGc.bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        database = Database.open(config.jdbcUrl() != null ? config.jdbcUrl() : Database.defaultUrl(dataDir),
                config.dbUser(), config.dbPassword(), config.dbPoolSize(), metrics);
        Jdbi db = database.jdbi();
        Users users = new Users(db, config.clock());

        SecretCipher cipher = config.secretKey() != null
                ? new SecretCipher(Base64.getDecoder().decode(config.secretKey()))
                : SecretCipher.fromKeyFile(dataDir.resolve("secret.key"));
        io.docbridge.host.services.KeyCheck.verify(db, cipher);
        // The heartbeat can be shortened for tests that kill an instance (-Ddocbridge.scheduler.heartbeat.seconds).
        HostScheduler.Heartbeat heartbeat = Optional.ofNullable(System.getProperty("docbridge.scheduler.heartbeat.seconds"))
                .map(seconds -> new HostScheduler.Heartbeat(Duration.ofSeconds(Long.parseLong(seconds)), 4))
                .orElse(HostScheduler.Heartbeat.STANDARD);
        scheduler = new HostScheduler(database.pool(), config.clock(), io.docbridge.host.tasks.LastRuns.in(db), metrics,
                heartbeat, "docbridge-" + connector.getLocalPort());
        // Both made below, after the services that need them; read when a page is rendered.
        Pages pages = new Pages(Map.of("appName", "Docbridge", "fmt", new io.docbridge.host.web.Formats(),
                "notice", (java.util.function.Supplier<String>) this::offlineNotice));
        services = new HostServices(db, cipher, scheduler, baseUrl, config.clock(), metrics,
                new io.docbridge.host.web.PluginWeb(pages, this::pluginSystem), config.environment());
        plugins = new PluginSystem(config.pluginsDir(), services);
        offlineDemo = new OfflineDemo(config, db, services, plugins, dataDir);
        storage = new StorageProviders(db, plugins, services, new LocalDiskStorageType(dataDir), config.clock());
        DocumentService documents = new DocumentService(db, storage, config.clock());
        io.docbridge.host.drives.DbFileIndex fileIndex = new io.docbridge.host.drives.DbFileIndex(db);
        externalDrives = new io.docbridge.host.drives.ExternalDrives(db, plugins, services, fileIndex, scheduler,
                config.clock());
        startGate = new StartGate(pages, Duration.ofMinutes(1));

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        SessionHandler sessions = context.getSessionHandler();
        sessions.setSessionCookie("DOCBRIDGE_SESSION");
        sessions.setHttpOnly(true);
        sessions.setSameSite(HttpCookie.SameSite.LAX);
        sessions.setSecureRequestOnly(true);
        sessions.setMaxInactiveInterval(8 * 3600);
        sessions.setSessionCache(sharedSessions(sessions, database));
        context.addFilter(new FilterHolder(new RequestMetrics(metrics)), "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(new SecurityFilter(users, pages, config.maxUploadBytes(), baseUrl)), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(startGate), "/*", EnumSet.of(DispatcherType.REQUEST));

        ServletHolder documentsHolder = new ServletHolder(new DocumentsServlet(pages, documents, storage));
        documentsHolder.getRegistration().setMultipartConfig(new MultipartConfigElement(uploads.toString(),
                config.maxUploadBytes(), config.maxUploadBytes() + 1024 * 1024, 256 * 1024));
        context.addServlet(documentsHolder, "/");
        mount(context, new LoginServlet(pages, users, new io.docbridge.host.auth.SignInThrottle(db, config.clock())),
                "/login", "/logout");
        mount(context, new StorageSettingsServlet(pages, storage, plugins), "/settings/*");
        mount(context, new PluginsAdminServlet(pages, plugins, config.pluginsDir().toAbsolutePath().toString()),
                "/admin/plugins", "/admin/plugins/*");
        mount(context, new UsersAdminServlet(pages, users), "/admin/users", "/admin/users/*");
        mount(context, new IntegrationsAdminServlet(pages, externalDrives, plugins, services,
                        offlineDemo),
                "/admin/integrations", "/admin/integrations/*");
        mount(context, new PluginDispatcherServlet(plugins, pages), "/plugins/*");
        ServletHolder files = new ServletHolder(new io.docbridge.host.web.FilesServlet(pages, externalDrives, fileIndex,
                plugins));
        files.getRegistration().setMultipartConfig(new MultipartConfigElement(uploads.toString(),
                config.maxUploadBytes(), config.maxUploadBytes() + 1024 * 1024, 256 * 1024));
        context.addServlet(files, "/files");
        context.addServlet(files, "/files/*");
        mount(context, new StaticServlet(), "/static/*");
        mount(context, new io.docbridge.host.web.NotificationsServlet(externalDrives.push()), "/notifications/*");
        mount(context, new OperationsServlet(() -> database.reachable(2), this::starts, metrics,
                config.metricsToken()), "/healthz", "/readyz", "/metrics");
        // Stopping, the host refuses new requests and lets those it is answering finish, for up to STOP_GRACE: a
        // rolling restart or a SIGTERM does not cut off a form or an upload half-way.
        server.setHandler(new GracefulHandler(context));
        server.setStopTimeout(STOP_GRACE.toMillis());
        // Everything written so far (the database, the secret key) and anything an older version left readable to
        // others.
        PrivateFiles.restrict(dataDir);
        removeSpooledUploads(uploads);
        // The sign-in page answers from here on; the pages that need the plugins, and signing in, wait at the start
        // gate.
        server.start();
        try {
            // On a fresh database the first administrator's password hash (half a second of PBKDF2) is made beside
            // the plugins' start.
            CompletableFuture<String> firstAdmin = CompletableFuture.supplyAsync(() -> ensureFirstAdmin(users),
                    threadOfItsOwn("docbridge-first-admin"));
            startWhatNeedsThePlugins(documents);
            generatedAdminPassword = joined(firstAdmin);
        } catch (Exception | Error e) {
            try {
                server.stop(); // it may wait for requests that were answering, and fail when they do not end in time
            } catch (Exception stopping) {
                e.addSuppressed(stopping); // the start's own failure is what the console must say
            }
            throw e;
        }
        startGate.open();
        offlineDemo.hostAnswers();
        Users.prepare();
        log.info("Docbridge is running at {} (data {}, plugins {})", baseUrl, dataDir,
                config.pluginsDir().toAbsolutePath());
    }

    /**
     * The plugins, and what needs them before the first page that is not the sign-in: the offline demo's decision,
     * the default storage, clearing up after a killed process, and the drives' scheduled syncs.
     */
    private void startWhatNeedsThePlugins(DocumentService documents) {
        plugins.start();
        offlineDemo.startIfWanted();
        storage.ensureDefault();
        // A scheduled health check finds a dead sign-in before a user's upload does.
        scheduler.schedule("host:storage-health", Duration.ofMinutes(30), progress -> storage.checkAll());
        recoverStorageFromAnUnfinishedRun(storage, documents);
        externalDrives.scheduleAll();
    }

    /**
     * Upload spool files a killed process left behind (Jetty's multipart parts), removed before the host listens: a
     * request spools its parts here before any filter decides anything, so once requests arrive a file here may be
     * one of theirs.
     */
    private static void removeSpooledUploads(Path uploads) throws IOException {
        try (var spooled = Files.list(uploads)) {
            spooled.forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    log.warn("Could not remove the upload spool file {}: {}", f, e.getMessage());
                }
            });
        }
    }

    /**
     * What a killed process left in the storage, cleared before any request reaches it (such requests wait at the
     * start gate): local disk's half-written files, and stored files whose documents never committed.
     */
    private static void recoverStorageFromAnUnfinishedRun(StorageProviders storage, DocumentService documents) {
        for (var record : storage.all()) {
            try {
                if (storage.provider(record.id()) instanceof io.docbridge.host.storage.LocalDiskStorage local) {
                    local.removeIncomplete();
                }
            } catch (RuntimeException e) {
                log.debug("Storage {} was not checked for half-written uploads at start: {}", record.name(),
                        e.getMessage());
            }
        }
        int removed = documents.reconcile();
        if (removed > 0) {
            log.warn("Start-up reconciliation removed {} stored file(s) whose documents were never recorded", removed);
        }
    }

    /** What every page says at its top: that the host is still starting, or that Microsoft 365 is emulated. */
    private String offlineNotice() {
        if (!startGate.isOpen()) {
            return STARTING_NOTICE; // whether Microsoft 365 is emulated is known once the plugins have started
        }
        return offlineDemo.active() ? OfflineDemo.NOTICE : "";
    }

    private PluginSystem pluginSystem() {
        return plugins;
    }

    /**
     * Sessions in the database (Jetty's JDBC session store), read at each request and saved before its answer leaves
     * (no cache in this process): a person signed in on one instance of a cluster is signed in on every other, and
     * a restart signs nobody out.
     */
    private static org.eclipse.jetty.session.SessionCache sharedSessions(SessionHandler sessions, Database database) {
        org.eclipse.jetty.session.DatabaseAdaptor adaptor = new org.eclipse.jetty.session.DatabaseAdaptor();
        adaptor.setDatasource(database.pool());
        org.eclipse.jetty.session.JDBCSessionDataStoreFactory stores =
                new org.eclipse.jetty.session.JDBCSessionDataStoreFactory();
        stores.setDatabaseAdaptor(adaptor);
        org.eclipse.jetty.session.NullSessionCache cache = new org.eclipse.jetty.session.NullSessionCache(sessions);
        cache.setSaveOnCreate(true);
        cache.setFlushOnResponseCommit(true);
        cache.setSessionDataStore(stores.getSessionDataStore(sessions));
        return cache;
    }

    private static void mount(ServletContextHandler context, HttpServlet servlet, String... paths) {
        ServletHolder holder = new ServletHolder(servlet);
        for (String path : paths) {
            context.addServlet(holder, path);
        }
    }

    /**
     * Starts a host.
     *
     * @throws HostStartupException with a message for the console when it cannot start
     */
    public static DocbridgeHost start(HostConfig config) {
        try {
            return new DocbridgeHost(config);
        } catch (HostStartupException e) {
            throw e;
        } catch (Exception e) {
            throw new HostStartupException("Docbridge could not start: " + e.getMessage(), e);
        }
    }

    private String ensureFirstAdmin(Users users) {
        if (users.count() > 0) {
            return null;
        }
        String password = config.adminPassword();
        boolean generated = password == null || password.isBlank();
        if (generated) {
            byte[] bytes = new byte[12];
            new SecureRandom().nextBytes(bytes);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        try {
            users.create("admin", "Administrator", password, Role.ORG_ADMIN);
        } catch (io.docbridge.host.web.InputException taken) {
            return null; // another instance starting on the same database made it (the username is unique)
        }
        log.info("Created the first organisation administrator, 'admin'");
        return generated ? password : null;
    }

    /** Runs a start-up task beside the main thread, on a daemon thread of its own named {@code name}. */
    static java.util.concurrent.Executor threadOfItsOwn(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        };
    }

    private static <T> T joined(CompletableFuture<T> future) throws Exception {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * Whether everything this instance starts has started: its plugins, and the offline demo's emulator if it runs
     * one (which starts once the host answers). {@code /readyz} says so to a load balancer.
     */
    public boolean started() {
        return !starts().containsValue(false);
    }

    /** What {@link #started()} waits for, each with whether it has started, in the order they start. */
    private Map<String, Boolean> starts() {
        Map<String, Boolean> starts = new java.util.LinkedHashMap<>();
        // The gate opens once the plugins have started and what needs them has run (the default storage, the syncs).
        starts.put("plugins", startGate.isOpen());
        if (startGate.isOpen() && offlineDemo.emulatesAtStart()) {
            starts.put("offline demo's Microsoft 365 emulator", offlineDemo.started());
        }
        return starts;
    }

    /** The first administrator's password if this start generated it (shown once, by {@link Main}). */
    public Optional<String> generatedAdminPassword() {
        return Optional.ofNullable(generatedAdminPassword);
    }

    /** Where the host is reachable, ending in {@code /}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** This instance's own address (the same as {@link #baseUrl()} unless a public address was given). */
    public URI localUrl() {
        return localUrl;
    }

    /** Runs the storage health check now (the scheduler runs it every 30 minutes); false if it is running. */
    public boolean checkStorageHealthNow() {
        return scheduler.runNow("host:storage-health");
    }

    /** The host's database, for operators' tools and tests that look at what is stored. */
    public Jdbi jdbi() {
        return database.jdbi();
    }

    /** The scheduler (tests shorten intervals below what people may choose). */
    HostScheduler scheduler() {
        return scheduler;
    }

    /** The external drives (benchmarks connect many at once without the pages). */
    io.docbridge.host.drives.ExternalDrives externalDrives() {
        return externalDrives;
    }

    /** What the host counts (tests read a counter without a metrics token). */
    PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** The database and its pool (tests take it away to see readiness fail). */
    Database database() {
        return database;
    }

    public PluginSystem plugins() {
        return plugins;
    }

    /** What each plugin is given (its settings and secrets), for tests that set a plugin's setting. */
    HostServices services() {
        return services;
    }

    /** The in-process M365 emulator, in offline mode. */
    public Optional<io.docbridge.emulator.M365Emulator> emulator() {
        return offlineDemo.emulator();
    }

    private static Path createPrivateDir(Path dir, String what) {
        return createDir(dir, what, true);
    }

    private static Path createDir(Path dir, String what) {
        return createDir(dir, what, false);
    }

    private static Path createDir(Path dir, String what, boolean ownerOnly) {
        try {
            return (ownerOnly ? PrivateFiles.folder(dir) : Files.createDirectories(dir)).toAbsolutePath();
        } catch (IOException e) {
            throw new HostStartupException("Cannot create the " + what + " folder " + dir.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("Stopping the web server failed", e);
        }
        // Work that runs plugin code (scheduled syncs, push subscriptions) ends before the plugins are unloaded:
        // code of an unloaded plugin that is still running fails in ways that outlive it.
        scheduler.close();
        storage.close();
        externalDrives.close();
        plugins.close();
        offlineDemo.close();
        database.close();
        jvmGc.close();
        metrics.close();
        log.info("Docbridge stopped");
    }
}
