package io.docbridge.api;

import org.pf4j.ExtensionPoint;

import java.util.List;
import java.util.Map;

/**
 * A kind of remote drive a plugin offers (OneDrive, a SharePoint library). Stateless: it describes the settings
 * and creates configured {@link ExternalDrive}s from them.
 */
public interface ExternalDriveType extends ExtensionPoint, ConfigurableType {

    /**
     * Whether an administrator may connect a drive of this type once for the whole organisation, so that every person
     * sees it in My Files (a SharePoint library, say; never a person's own OneDrive). The host then renders the
     * settings template with {@code organisation} true, and calls {@link #validate(Map, PlatformUser, HostContext)}
     * with the administrator as owner. Such a drive is read-only to the people it is shared with: they browse,
     * download and open files in the remote service, where their own permissions apply.
     */
    default boolean organisationWide() {
        return false;
    }

    /**
     * Called after the host forgot a drive (Disconnect): let go of what only it used, such as a sign-in's tokens.
     * Never touches the remote files. By default nothing.
     *
     * @param remaining the settings of this type's drives that stay, so a sign-in another drive still uses is kept
     */
    default void disconnected(InstanceSettings settings, List<InstanceSettings> remaining, HostContext host) {
    }

    /**
     * Creates a drive from saved settings. Must not call the remote service (see
     * {@link StorageProviderType#create}).
     *
     * @throws SettingsException if the saved settings cannot work
     */
    ExternalDrive create(InstanceSettings settings, HostContext host);

    /**
     * Reads a request the remote service sent to this type's notification address (the host's public
     * {@code /notifications/<type id>}), for drives that {@link ExternalDrive#subscribe subscribe}: a validation the
     * host must answer, or hints that drives changed. Must be quick and must not call the service.
     *
     * @param query the request's query parameters (decoded), one value each
     * @param body  the request's body, at most 1 MiB
     * @return what it says, or empty if it is nothing this type's service sends (the host answers 400)
     */
    default java.util.Optional<PushMessage> readPush(Map<String, String> query, byte[] body) {
        return java.util.Optional.empty();
    }
}
