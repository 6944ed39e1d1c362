package io.docbridge.sharepoint;

import io.docbridge.api.ExternalDrive;
import io.docbridge.api.ExternalDriveType;
import io.docbridge.api.HostContext;
import io.docbridge.api.InstanceSettings;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.PluginException;
import io.docbridge.api.SettingField;
import io.docbridge.api.SettingsException;
import io.docbridge.graph.GraphExternalDrive;
import io.docbridge.graph.PluginConnections;
import io.docbridge.graph.PluginPages;
import org.pf4j.Extension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A SharePoint document library a person works in, as an external drive in their My Files. */
@Extension
public final class SharePointLibraryType implements ExternalDriveType {
    static final String ID = "sharepoint-library";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "SharePoint library";
    }

    @Override
    public String description() {
        return "A document library of a SharePoint site you work in, synced into My Files.";
    }

    @Override
    public List<SettingField> settingFields() {
        return List.of(SettingField.text("connection", "Microsoft connection", "", "", true),
                SettingField.text("account", "Signed in as", "", "", false),
                SettingField.text("site", "Site", "", "", true),
                SettingField.text("siteName", "Site name", "", "", false),
                SettingField.text("library", "Library", "", "", true),
                SettingField.text("libraryName", "Library name", "", "", false));
    }

    @Override
    public String settingsTemplate() {
        return "sharepoint/drive-settings.ftlh";
    }

    @Override
    public Map<String, String> validate(Map<String, String> submitted, PlatformUser owner, HostContext host) {
        Map<String, String> values = new HashMap<>(submitted);
        PluginConnections connections = new PluginConnections(host, SharePointStorageType.ID);
        String connection = values.getOrDefault("connection", "");
        boolean appOnly = PluginConnections.APP_ONLY.equals(connection);
        if (connection.isBlank() || !connections.mayUse(connection, owner)
                || !appOnly && connections.signIn(connection).account().isEmpty()) {
            throw new SettingsException("connection", "Connect with Microsoft first.");
        }
        if (values.getOrDefault("library", "").isBlank()) {
            throw new SettingsException("library", "Choose a site and a library.");
        }
        try {
            connections.drives(connection).drive(values.get("library"));
        } catch (PluginException e) {
            throw new SettingsException("library", "The library cannot be opened: " + e.getMessage());
        }
        return ExternalDriveType.super.validate(values, host);
    }

    /** A library can be shared: an administrator connects it once and everyone sees it in My Files. */
    @Override
    public boolean organisationWide() {
        return true;
    }

    @Override
    public String reconnectPath(InstanceSettings settings, String returnTo) {
        if (PluginConnections.APP_ONLY.equals(settings.require("connection"))) {
            return null; // app-only has no one to sign in: its client secret is renewed in Admin → Integrations
        }
        return "connect?for=" + SharePointServlets.FOR_DRIVE + "&connection="
                + PluginPages.url(settings.require("connection")) + "&return="
                + PluginPages.url(returnTo);
    }

    /** Disconnect forgets the drive's sign-in too (its tokens), unless another of the person's drives uses it. */
    @Override
    public void disconnected(InstanceSettings settings, List<InstanceSettings> remaining, HostContext host) {
        new PluginConnections(host, SharePointStorageType.ID).forget(settings.values().get("connection"), "connection", remaining);
    }

    @Override
    public ExternalDrive create(InstanceSettings settings, HostContext host) {
        return new GraphExternalDrive(new PluginConnections(host, SharePointStorageType.ID)
                .drives(settings.require("connection")), settings.require("library"));
    }

    @Override
    public java.util.Optional<io.docbridge.api.PushMessage> readPush(Map<String, String> query, byte[] body) {
        return io.docbridge.graph.GraphPush.read(query, body);
    }
}
