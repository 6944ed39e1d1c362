package io.docbridge.graph;

import io.docbridge.api.ExternalDrive;
import io.docbridge.api.ExternalDriveType;
import io.docbridge.api.HostContext;
import io.docbridge.api.InstanceSettings;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.PluginException;
import io.docbridge.api.PushMessage;
import io.docbridge.api.SettingsException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the Microsoft drive types share: a drive is a Graph drive reached through one of the plugin's Microsoft
 * connections (setting {@code connection}) and named by its drive id (the setting a subclass names). Checking a
 * submitted drive, signing in again, letting go of a sign-in on Disconnect, making the drive and reading Graph's
 * change notifications are the same for all of them.
 */
public abstract class GraphDriveType implements ExternalDriveType {
    protected static final String CONNECTION = "connection";

    private final String driveSetting;

    /** @param driveSetting the setting that holds the drive's id */
    protected GraphDriveType(String driveSetting) {
        this.driveSetting = driveSetting;
    }

    /** The plugin's Microsoft connections, as this type asks for them (its scopes). */
    protected abstract PluginConnections connections(HostContext host);

    /** Whether an administrator's app-only connection may stand behind such a drive. */
    protected boolean appOnlyAllowed() {
        return false;
    }

    /** What the person is told when the drive cannot be opened, before the reason: "The library cannot be opened". */
    protected abstract String unreadable();

    /** What the person is told when no drive was chosen. */
    protected String chooseDrive() {
        return "Choose the drive first.";
    }

    /** The connection must be the owner's (or one they may use) and signed in, and the drive must open through it. */
    @Override
    public Map<String, String> validate(Map<String, String> submitted, PlatformUser owner, HostContext host) {
        Map<String, String> values = new HashMap<>(submitted);
        PluginConnections connections = connections(host);
        String connection = values.getOrDefault(CONNECTION, "");
        boolean appOnly = PluginConnections.APP_ONLY.equals(connection);
        if (connection.isBlank() || appOnly && !appOnlyAllowed() || !connections.mayUse(connection, owner)
                || !appOnly && connections.signIn(connection).account().isEmpty()) {
            throw new SettingsException(CONNECTION, "Connect with Microsoft first.");
        }
        String drive = values.getOrDefault(driveSetting, "");
        if (drive.isBlank()) {
            throw new SettingsException(driveSetting, chooseDrive());
        }
        try {
            connections.drives(connection).drive(drive);
        } catch (PluginException e) {
            throw new SettingsException(driveSetting, unreadable() + ": " + e.getMessage());
        }
        return ExternalDriveType.super.validate(values, owner, host);
    }

    @Override
    public String reconnectPath(InstanceSettings settings, String setup) {
        if (PluginConnections.APP_ONLY.equals(settings.require(CONNECTION))) {
            return null; // app-only has no one to sign in: its client secret is renewed in Admin → Integrations
        }
        return PluginConnections.reconnectPath(settings.require(CONNECTION), setup);
    }

    /** Disconnect forgets the drive's sign-in too (its tokens), unless another of the person's drives uses it. */
    @Override
    public void disconnected(InstanceSettings settings, List<InstanceSettings> remaining, HostContext host) {
        connections(host).forget(settings.values().get(CONNECTION), CONNECTION, remaining);
    }

    @Override
    public ExternalDrive create(InstanceSettings settings, HostContext host) {
        return new GraphExternalDrive(connections(host).drives(settings.require(CONNECTION)),
                settings.require(driveSetting));
    }

    @Override
    public Optional<PushMessage> readPush(Map<String, String> query, byte[] body) {
        return GraphPush.read(query, body);
    }
}
