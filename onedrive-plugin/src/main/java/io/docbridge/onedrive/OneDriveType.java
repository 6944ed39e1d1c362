package io.docbridge.onedrive;

import io.docbridge.api.ExternalDrive;
import io.docbridge.api.ExternalDriveType;
import io.docbridge.api.HostContext;
import io.docbridge.api.InstanceSettings;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.PluginException;
import io.docbridge.api.SettingField;
import io.docbridge.api.SettingsException;
import io.docbridge.graph.GraphExternalDrive;
import io.docbridge.graph.MicrosoftSignIn;
import io.docbridge.graph.PluginConnections;
import io.docbridge.graph.PluginPages;
import org.pf4j.Extension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A person's OneDrive as an external drive: connect with Microsoft, and their drive is found by itself. */
@Extension
public final class OneDriveType implements ExternalDriveType {
    static final String ID = "onedrive";

    /** The plugin's Microsoft connections: each asks only for its person's own files. */
    static PluginConnections connections(HostContext host) {
        return new PluginConnections(host, ID, MicrosoftSignIn::ownFiles);
    }
    static final String CONNECTION = "connection";
    static final String DRIVE = "drive";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "OneDrive";
    }

    @Override
    public String description() {
        return "Your OneDrive (work, school or personal), synced into My Files.";
    }

    @Override
    public List<SettingField> settingFields() {
        return List.of(SettingField.text(CONNECTION, "Microsoft connection", "", "", true),
                SettingField.text("account", "Signed in as", "", "", false),
                SettingField.text(DRIVE, "Drive", "", "", true),
                SettingField.text("driveName", "Drive name", "", "", false));
    }

    @Override
    public String settingsTemplate() {
        return "onedrive/settings.ftlh";
    }

    @Override
    public Map<String, String> validate(Map<String, String> submitted, PlatformUser owner, HostContext host) {
        Map<String, String> values = new HashMap<>(submitted);
        PluginConnections connections = connections(host);
        String connection = values.getOrDefault(CONNECTION, "");
        if (connection.isBlank() || !connections.mayUse(connection, owner)
                || connections.signIn(connection).account().isEmpty()) {
            throw new SettingsException(CONNECTION, "Connect with Microsoft first.");
        }
        try {
            connections.drives(connection).drive(values.getOrDefault(DRIVE, ""));
        } catch (PluginException e) {
            throw new SettingsException(DRIVE, "Your OneDrive cannot be opened: " + e.getMessage());
        }
        return ExternalDriveType.super.validate(values, host);
    }

    @Override
    public String reconnectPath(InstanceSettings settings, String returnTo) {
        return "connect?connection=" + PluginPages.url(settings.require(CONNECTION)) + "&return="
                + PluginPages.url(returnTo);
    }

    /** Disconnect forgets the drive's sign-in too (its tokens), unless another of the person's drives uses it. */
    @Override
    public void disconnected(InstanceSettings settings, List<InstanceSettings> remaining, HostContext host) {
        connections(host).forget(settings.values().get(CONNECTION), CONNECTION, remaining);
    }

    @Override
    public ExternalDrive create(InstanceSettings settings, HostContext host) {
        return new GraphExternalDrive(connections(host).drives(settings.require(CONNECTION)),
                settings.require(DRIVE));
    }

    @Override
    public java.util.Optional<io.docbridge.api.PushMessage> readPush(Map<String, String> query, byte[] body) {
        return io.docbridge.graph.GraphPush.read(query, body);
    }
}
