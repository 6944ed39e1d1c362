package io.docbridge.host.services;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.HostContext;
import io.docbridge.api.Metrics;
import io.docbridge.api.Pages;
import io.docbridge.api.PluginException;
import io.docbridge.api.SecretStore;
import io.docbridge.api.SettingsStore;
import io.docbridge.api.Setups;
import io.docbridge.api.SignIns;
import io.docbridge.host.integrations.Integrations;
import io.docbridge.host.signin.HostSignIns;
import io.docbridge.host.tasks.HostScheduler;
import io.docbridge.host.web.PluginWeb;
import io.micrometer.core.instrument.MeterRegistry;
import org.jdbi.v3.core.Jdbi;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Makes the {@link HostContext} each plugin gets: the shared services, with stores scoped to the plugin. */
public final class HostServices {
    private final Jdbi db;
    private final SecretCipher cipher;
    private final HostScheduler scheduler;
    private final URI publicBaseUrl;
    private final Clock clock;

    private final MeterRegistry meters;
    private final PluginWeb web;
    private final Integrations integrations;

    /** @param environment the process environment, where integrations may be configured */
    public HostServices(Jdbi db, SecretCipher cipher, HostScheduler scheduler, URI publicBaseUrl, Clock clock,
                        MeterRegistry meters, PluginWeb web, Map<String, String> environment) {
        this.meters = meters;
        this.web = web;
        this.integrations = new Integrations(new DbSecretStore(db, cipher, HOST_ID), environment, web::pluginSystem);
        this.db = db;
        this.cipher = cipher;
        this.scheduler = scheduler;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
    }

    /** The id the host keeps its own settings and secrets under; no plugin may have it. */
    public static final String HOST_ID = "host";

    public HostContext forPlugin(String pluginId) {
        return new PluginContext(new DbSecretStore(db, cipher, pluginId), new DbSettingsStore(db, pluginId),
                publicBaseUrl, clock, new PluginMetrics(meters, pluginId), web.pages(pluginId), web.setups(pluginId),
                signIns(pluginId), id -> integrations.contributes(pluginId, id) ? integrations.values(id) : Map.of());
    }

    /** The integrations the plugins contribute, and their values. */
    public Integrations integrations() {
        return integrations;
    }

    /** The host's sign-ins for a plugin, with the client of its {@link SignInProvider} as configured at each use. */
    public HostSignIns signIns(String pluginId) {
        return new HostSignIns(pluginId, new DbSecretStore(db, cipher, HOST_ID), new DbSecretStore(db, cipher, pluginId),
                () -> web.signInProvider(pluginId).orElseThrow(() -> new PluginException(ErrorKind.UNAVAILABLE,
                        "The " + pluginId + " plugin signs nobody in.")).client(forPlugin(pluginId)),
                publicBaseUrl, clock);
    }

    public HostScheduler scheduler() {
        return scheduler;
    }

    /** Where people, and services that call back (sign-in, change notifications), reach this host. */
    public URI publicBaseUrl() {
        return publicBaseUrl;
    }

    public MeterRegistry meters() {
        return meters;
    }

    private record PluginContext(SecretStore secrets, SettingsStore settings, URI publicBaseUrl, Clock clock,
                                 Metrics metrics, Pages pages, Setups setups, SignIns signIns,
                                 java.util.function.Function<String, Map<String, String>> integrations)
            implements HostContext {
        @Override
        public Map<String, String> integration(String id) {
            return integrations.apply(id);
        }
    }

    /** A plugin's metrics in the host's registry, each tagged with the plugin's id. */
    private record PluginMetrics(MeterRegistry meters, String pluginId) implements Metrics {
        @Override
        public void count(String name, long amount, String... tags) {
            meters.counter(name, withPlugin(tags)).increment(amount);
        }

        @Override
        public void time(String name, Duration took, String... tags) {
            meters.timer(name, withPlugin(tags)).record(took);
        }

        private String[] withPlugin(String... tags) {
            if (tags.length % 2 != 0) {
                throw new IllegalArgumentException("tags come in name/value pairs");
            }
            String[] all = java.util.Arrays.copyOf(tags, tags.length + 2);
            all[tags.length] = "plugin";
            all[tags.length + 1] = pluginId;
            return all;
        }
    }
}
