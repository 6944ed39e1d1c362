package io.docbridge.api;

import org.pf4j.ExtensionPoint;

/**
 * A kind of document storage a plugin offers (local disk, SharePoint Online). Stateless: it describes the
 * settings and creates configured {@link StorageProvider}s from them.
 */
public interface StorageProviderType extends ExtensionPoint, ConfigurableType {

    /**
     * Creates a provider from saved settings. Must not call the remote service: the host creates providers at start
     * and whenever settings change, and a service that is down must not keep the host from starting.
     *
     * @throws SettingsException if the saved settings cannot work (a field removed in a newer version, say)
     */
    StorageProvider create(InstanceSettings settings, HostContext host);
}
