package io.docbridge.onedrive;

import io.docbridge.api.HostContext;
import io.docbridge.api.SettingField;
import io.docbridge.graph.GraphDriveType;
import io.docbridge.graph.MicrosoftSignIn;
import io.docbridge.graph.PluginConnections;
import org.pf4j.Extension;

import java.util.List;

/** A person's OneDrive as an external drive: connect with Microsoft, and their drive is found by itself. */
@Extension
public final class OneDriveType extends GraphDriveType {
    static final String ID = "onedrive";
    static final String DRIVE = "drive";

    public OneDriveType() {
        super(DRIVE);
    }

    /** The plugin's Microsoft connections: each asks only for its person's own files. */
    static PluginConnections pluginConnections(HostContext host) {
        return new PluginConnections(host, MicrosoftSignIn::ownFiles, true);
    }

    @Override
    protected PluginConnections connections(HostContext host) {
        return pluginConnections(host);
    }

    @Override
    protected String unreadable() {
        return "Your OneDrive cannot be opened";
    }

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
}
