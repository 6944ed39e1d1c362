package io.docbridge.api;

import org.pf4j.ExtensionPoint;

/**
 * A kind of remote drive a plugin offers (OneDrive, a SharePoint library). Stateless: it describes the settings
 * and creates configured {@link ExternalDrive}s from them.
 */
public interface ExternalDriveType extends ExtensionPoint, ConfigurableType {

    /**
     * Creates a drive from saved settings. Must not call the remote service (see
     * {@link StorageProviderType#create}).
     *
     * @throws SettingsException if the saved settings cannot work
     */
    ExternalDrive create(InstanceSettings settings, HostContext host);
}
