package io.docbridge.api;

import org.pf4j.ExtensionPoint;

import java.util.Map;

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

    /**
     * Checks a change an administrator made to a saved provider (Edit), before the host saves it in place of the
     * saved values. Revisions already stored keep their keys and must stay readable, so a change that would make an
     * existing key point elsewhere is refused here (or recorded in the returned values so the provider can still
     * find them). Secret fields left empty in the form arrive as the saved secret. The default checks the values as
     * {@link #validate} does.
     *
     * @param saved the provider's settings as saved now
     * @return the values to save
     * @throws SettingsException naming the first field that is not acceptable
     */
    default Map<String, String> validateChange(InstanceSettings saved, Map<String, String> submitted, PlatformUser by,
                                               HostContext host) {
        return validate(submitted, by, host);
    }
}
