package io.docbridge.host.plugins;

import io.docbridge.api.FileIndex;
import io.docbridge.api.HostContext;
import io.docbridge.api.SecretStore;
import io.docbridge.api.SettingsStore;
import io.docbridge.api.TaskScheduler;
import org.jdbi.v3.core.Jdbi;

import java.net.URI;
import java.time.Clock;

/** Makes the {@link HostContext} each plugin gets: the shared services, with stores scoped to the plugin. */
public final class HostServices {
    private final Jdbi db;
    private final SecretCipher cipher;
    private final FileIndex fileIndex;
    private final HostScheduler scheduler;
    private final URI publicBaseUrl;
    private final Clock clock;

    public HostServices(Jdbi db, SecretCipher cipher, HostScheduler scheduler, URI publicBaseUrl, Clock clock) {
        this.db = db;
        this.cipher = cipher;
        this.fileIndex = new DbFileIndex(db);
        this.scheduler = scheduler;
        this.publicBaseUrl = publicBaseUrl;
        this.clock = clock;
    }

    public HostContext forPlugin(String pluginId) {
        return new PluginContext(new DbSecretStore(db, cipher, pluginId), new DbSettingsStore(db, pluginId),
                fileIndex, scheduler.forPlugin(pluginId), publicBaseUrl, clock);
    }

    public HostScheduler scheduler() {
        return scheduler;
    }

    private record PluginContext(SecretStore secrets, SettingsStore settings, FileIndex fileIndex,
                                 TaskScheduler scheduler, URI publicBaseUrl, Clock clock) implements HostContext {
    }
}
