package io.docbridge.host;

import io.docbridge.api.HostContext;
import io.docbridge.emulator.DemoSeed;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.host.plugins.HostServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The platform's Microsoft 365 integration: the app registration the Microsoft plugins sign in with. Given one
 * (a real tenant), it is handed to the plugins as is; otherwise, in offline mode, Microsoft 365 is emulated
 * in-process with a demo tenant, and the plugins are pointed at the emulator. The settings keys are the plugins'
 * documented contract (graph-drive's M365Settings).
 */
final class Microsoft365 implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Microsoft365.class);
    static final List<String> PLUGINS = List.of("sharepoint", "onedrive");
    static final String NOTICE = "Offline demo: Microsoft 365 is emulated. Sign in with the accounts shown on the "
            + "emulated sign-in page.";

    /**
     * An app registration in a real tenant.
     *
     * @param cloud Global, US Government L4, US Government L5 (DOD), China, or a stand-in's https base URL
     */
    record Registration(String cloud, String tenant, String clientId, String clientSecret) {
    }

    private final M365Emulator emulator;

    private Microsoft365(M365Emulator emulator) {
        this.emulator = emulator;
    }

    /** Configures the plugins from a real registration, or starts the emulator; null when neither is wanted. */
    static Microsoft365 start(HostConfig config, HostServices services, URI hostBase, Path dataDir) {
        if (config.microsoft365() != null) {
            Registration r = config.microsoft365();
            for (String plugin : PLUGINS) {
                save(services.forPlugin(plugin), r.cloud(), r.tenant(), r.clientId(), r.clientSecret(), "", "");
            }
            log.info("Microsoft 365: app registration {} in tenant {} ({})", r.clientId(), r.tenant(), r.cloud());
            return new Microsoft365(null);
        }
        if (!config.emulateMicrosoft365()) {
            return new Microsoft365(null);
        }
        M365Emulator emulator = M365Emulator.builder().port(config.emulatorPort())
                .dataDir(dataDir.resolve("m365-emulator")).signInHint(DemoSeed.signInHint()).start();
        if (!emulator.restored()) {
            DemoSeed.seed(emulator);
        }
        Directory.Tenant tenant = emulator.directory().tenant(DemoSeed.TENANT_DOMAIN).orElseThrow();
        List<String> redirects = PLUGINS.stream().map(p -> hostBase.resolve("plugins/" + p + "/callback").toString())
                .toList();
        Optional<Directory.App> existing = emulator.directory().apps().stream()
                .filter(a -> a.displayName().equals("Docbridge")).findFirst();
        Directory.App app;
        if (existing.isEmpty()) {
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            app = emulator.directory().addApp("Docbridge", redirects, List.of(HexFormat.of().formatHex(secret)));
        } else {
            List<String> uris = new ArrayList<>(existing.get().redirectUris());
            redirects.stream().filter(r -> !uris.contains(r)).forEach(uris::add);
            app = new Directory.App(existing.get().clientId(), "Docbridge", uris, existing.get().secrets());
            emulator.directory().putApp(app);
        }
        emulator.saveIfChanged();
        for (String plugin : PLUGINS) {
            save(services.forPlugin(plugin), emulator.baseUrl().toString(), tenant.id(), app.clientId(),
                    app.secrets().get(0), emulator.caPem(), NOTICE);
        }
        log.info("Microsoft 365 is emulated at {} (tenant {}, app {})", emulator.baseUrl(), tenant.domain(),
                app.clientId());
        return new Microsoft365(emulator);
    }

    private static void save(HostContext plugin, String cloud, String tenant, String clientId, String secret,
                             String caPem, String notice) {
        plugin.settings().put("m365.cloud", cloud);
        plugin.settings().put("m365.tenant", tenant);
        plugin.settings().put("m365.clientId", clientId);
        plugin.secrets().put("m365.clientSecret", secret);
        plugin.settings().put("m365.extraCaPem", caPem);
        plugin.settings().put("m365.notice", notice);
    }

    boolean emulated() {
        return emulator != null;
    }

    /** The emulator, in offline mode. */
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
