package io.docbridge.host;

import io.docbridge.api.HostContext;
import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.host.plugins.HostServices;
import io.docbridge.host.web.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The platform's Microsoft 365 integration: the app registration the Microsoft plugins sign in with. It comes from
 * the environment (fixed), or from Admin → Integrations (saved, secret encrypted), or, in offline mode, from the M365
 * emulator started in-process with a demo tenant. The plugins read it at every use, so a change applies at once.
 * The settings keys are the plugins' documented contract (graph-drive's M365Settings).
 */
public final class Microsoft365 implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Microsoft365.class);
    static final List<String> PLUGINS = List.of("sharepoint", "onedrive");
    static final String NOTICE = "Offline demo: Microsoft 365 is emulated. Docbridge's own sign-in takes Docbridge "
            + "accounts; the emulated Microsoft sign-in page (after Connect with Microsoft) takes the demo accounts it "
            + "lists, such as megan@" + io.docbridge.emulator.DemoSeed.TENANT_DOMAIN + ".";
    /** The national clouds an administrator can pick, by the names Microsoft's docs use. */
    public static final List<String> CLOUDS = List.of("Global", "US Government L4", "US Government L5 (DOD)", "China");
    private static final String GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    /**
     * An app registration in a real tenant.
     *
     * @param cloud            Global, US Government L4, US Government L5 (DOD), China, or a stand-in's https base URL
     * @param personalAccounts whether people may connect a personal OneDrive (Microsoft account): the registration's
     *                         supported account types must include personal accounts; OneDrive then signs in through
     *                         {@code common} (personal accounts and this tenant's work accounts, no other
     *                         organisation's), while SharePoint keeps the tenant
     */
    public record Registration(String cloud, String tenant, String clientId, String clientSecret,
                               boolean personalAccounts) {
        public Registration(String cloud, String tenant, String clientId, String clientSecret) {
            this(cloud, tenant, clientId, clientSecret, false);
        }

        @Override
        public String toString() {
            return "Registration[" + clientId + " in " + tenant + " (" + cloud + ")]"; // never the secret
        }
    }

    /** Where the registration in use comes from. */
    public enum Source { ENVIRONMENT, SAVED, EMULATED, NONE }

    private final HostConfig config;
    private final HostServices services;
    private final URI hostBase;
    private final Path dataDir;
    private volatile M365Emulator emulator;
    private volatile Source source = Source.NONE;

    private Microsoft365(HostConfig config, HostServices services, URI hostBase, Path dataDir) {
        this.config = config;
        this.services = services;
        this.hostBase = hostBase;
        this.dataDir = dataDir;
    }

    /** Configures the plugins from the environment's registration, a saved one, or the emulator, in that order. */
    static Microsoft365 start(HostConfig config, HostServices services, URI hostBase, Path dataDir) {
        Microsoft365 m = new Microsoft365(config, services, hostBase, dataDir);
        Optional<Registration> saved = m.saved();
        if (config.microsoft365() != null) {
            m.apply(config.microsoft365(), Source.ENVIRONMENT);
        } else if (saved.isPresent()) {
            m.apply(saved.get(), Source.SAVED);
        } else if (config.emulateMicrosoft365()) {
            m.emulate();
        }
        return m;
    }

    public Source source() {
        return source;
    }

    /** Whether the built-in emulator can be chosen (offline demo allowed, no registration fixed by the environment). */
    public boolean emulatorAvailable() {
        return config.emulateMicrosoft365() && source != Source.ENVIRONMENT;
    }

    /** The registration in use, for Admin → Integrations (its secret blanked); empty when emulated or none. */
    public Optional<Registration> registration() {
        return switch (source) {
            case ENVIRONMENT -> Optional.of(blank(config.microsoft365()));
            case SAVED -> saved().map(Microsoft365::blank);
            default -> Optional.empty();
        };
    }

    private static Registration blank(Registration r) {
        return new Registration(r.cloud(), r.tenant(), r.clientId(), "", r.personalAccounts());
    }

    /** The redirect URIs to add to the app registration (Authentication → Web). */
    public List<String> redirectUris() {
        return PLUGINS.stream().map(p -> hostBase.resolve("plugins/" + p + "/callback").toString()).toList();
    }

    /**
     * Saves an administrator's registration and points the plugins at it. A blank secret keeps the saved one.
     *
     * @throws InputException naming the field that is wrong, in the words of Microsoft Entra admin center
     */
    public synchronized void save(String cloud, String tenant, String clientId, String clientSecret,
                                  boolean personalAccounts) {
        if (source == Source.ENVIRONMENT) {
            throw new InputException("clientId", "The registration is set by the environment (DOCBRIDGE_M365_*); change "
                    + "it there.");
        }
        if (!CLOUDS.contains(cloud)) {
            throw new InputException("cloud", "Choose the cloud your tenant is in.");
        }
        String t = tenant == null ? "" : tenant.trim();
        if (!t.matches(GUID) && !t.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+")) {
            throw new InputException("tenant", "Enter the Directory (tenant) ID from the app's Overview page, or the "
                    + "tenant's domain (contoso.onmicrosoft.com).");
        }
        String id = clientId == null ? "" : clientId.trim();
        if (!id.matches(GUID)) {
            throw new InputException("clientId", "Enter the Application (client) ID from the app's Overview page: a "
                    + "GUID such as 00001111-aaaa-2222-bbbb-3333cccc4444.");
        }
        String secret = clientSecret == null || clientSecret.isBlank()
                ? saved().map(Registration::clientSecret).orElse("") : clientSecret.trim();
        if (secret.isEmpty()) {
            throw new InputException("clientSecret", "Enter a client secret's Value (Certificates & secrets), not its "
                    + "Secret ID.");
        }
        HostContext host = services.forPlugin(io.docbridge.host.plugins.HostServices.HOST_ID);
        host.settings().put("m365.cloud", cloud);
        host.settings().put("m365.tenant", t);
        host.settings().put("m365.clientId", id);
        host.secrets().put("m365.clientSecret", secret);
        host.settings().put("m365.personalAccounts", Boolean.toString(personalAccounts));
        apply(new Registration(cloud, t, id, secret, personalAccounts), Source.SAVED);
        log.info("Microsoft 365: an administrator saved app registration {} in tenant {} ({})", id, t, cloud);
    }

    /** Forgets the saved registration and goes back to the built-in emulator. */
    public synchronized void useEmulator() {
        if (!emulatorAvailable()) {
            throw new InputException("cloud", "The built-in emulator is not available on this host.");
        }
        HostContext host = services.forPlugin(io.docbridge.host.plugins.HostServices.HOST_ID);
        host.settings().put("m365.clientId", "");
        host.secrets().delete("m365.clientSecret");
        emulate();
    }

    private Optional<Registration> saved() {
        HostContext host = services.forPlugin(io.docbridge.host.plugins.HostServices.HOST_ID);
        return host.settings().get("m365.clientId").filter(id -> !id.isBlank())
                .map(id -> new Registration(host.settings().get("m365.cloud").orElse("Global"),
                        host.settings().get("m365.tenant").orElse(""), id,
                        host.secrets().get("m365.clientSecret").orElse(""),
                        host.settings().get("m365.personalAccounts").map(Boolean::parseBoolean).orElse(false)));
    }

    private void apply(Registration r, Source from) {
        for (String plugin : PLUGINS) {
            put(services.forPlugin(plugin), r.cloud(), tenantFor(plugin, r.tenant(), r.personalAccounts()),
                    homeTenant(plugin, r.tenant(), r.personalAccounts()), r.clientId(), r.clientSecret(), "", "");
        }
        source = from;
        log.info("Microsoft 365: app registration {} in tenant {} ({})", r.clientId(), r.tenant(), r.cloud());
    }

    /**
     * The authority a plugin signs people in through: its tenant, except that a OneDrive open to personal accounts
     * uses {@code common} (work, school and personal accounts alike). SharePoint always keeps the tenant, which
     * app-only access needs.
     */
    private static String tenantFor(String plugin, String tenant, boolean personalAccounts) {
        return personalAccounts && plugin.equals("onedrive") ? "common" : tenant;
    }

    /** Through {@code common}, only this organisation's work accounts (and personal ones) may sign in. */
    private static String homeTenant(String plugin, String tenant, boolean personalAccounts) {
        return personalAccounts && plugin.equals("onedrive") ? tenant : "";
    }

    private void emulate() {
        if (emulator == null && anotherInstancesEmulator().isPresent()) {
            // Several instances on one database in offline mode: the first one's emulator serves them all (its
            // tenant, app and tokens are what the shared database already refers to).
            source = Source.EMULATED;
            log.info("Microsoft 365 is emulated by another instance at {}", anotherInstancesEmulator().get());
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
        for (String plugin : PLUGINS) {
            put(services.forPlugin(plugin), emulator.baseUrl().toString(), tenantFor(plugin, tenant.id(), true),
                    // the home tenant by domain, as administrators usually give it (the plugin looks its id up)
                    homeTenant(plugin, tenant.domain(), true), app.clientId(), app.secrets().get(0), emulator.caPem(),
                    NOTICE);
        }
        source = Source.EMULATED;
        log.info("Microsoft 365 is emulated at {} (tenant {}, app {})", emulator.baseUrl(), tenant.domain(),
                app.clientId());
    }

    /**
     * The emulator another instance on this database started, if the plugins' settings name one (only offline mode
     * writes a notice) and something answers at its address.
     */
    private Optional<URI> anotherInstancesEmulator() {
        HostContext plugin = services.forPlugin(PLUGINS.get(0));
        Optional<URI> saved = plugin.settings().get("m365.notice").filter(n -> !n.isBlank())
                .flatMap(n -> plugin.settings().get("m365.cloud")).filter(c -> c.startsWith("https://"))
                .map(URI::create);
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(saved.get().getHost(), saved.get().getPort()), 500);
            return saved;
        } catch (IOException | IllegalArgumentException nobody) {
            return Optional.empty();
        }
    }

    private static void put(HostContext plugin, String cloud, String tenant, String homeTenant, String clientId,
                            String secret, String caPem, String notice) {
        plugin.settings().put("m365.cloud", cloud);
        plugin.settings().put("m365.tenant", tenant);
        plugin.settings().put("m365.homeTenant", homeTenant);
        plugin.settings().put("m365.clientId", clientId);
        plugin.secrets().put("m365.clientSecret", secret);
        plugin.settings().put("m365.extraCaPem", caPem);
        plugin.settings().put("m365.notice", notice);
    }

    /** Whether people are working against the emulator now (every page says so). */
    public boolean emulated() {
        return source == Source.EMULATED;
    }

    /** One line on how Microsoft 365 is reached, for Admin → Integrations (never the client secret). */
    public String describe() {
        return switch (source) {
            case ENVIRONMENT, SAVED -> {
                Registration r = registration().orElseThrow();
                yield "Connected to tenant " + r.tenant() + " (" + r.cloud() + "), app " + r.clientId()
                        + (r.personalAccounts() ? ", personal OneDrive accounts allowed" : "")
                        + (source == Source.ENVIRONMENT ? ", set by the environment." : ", saved here.");
            }
            case EMULATED -> "Offline demo: Microsoft 365 is emulated on this machine.";
            case NONE -> "Not configured: enter your app registration below, or set DOCBRIDGE_M365_* (see README).";
        };
    }

    /** The emulator, while it runs (offline mode, or kept after an administrator saved a registration). */
    Optional<M365Emulator> emulator() {
        return Optional.ofNullable(emulator);
    }

    @Override
    public void close() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
