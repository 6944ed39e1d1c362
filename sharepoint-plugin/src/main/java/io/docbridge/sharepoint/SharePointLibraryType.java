package io.docbridge.sharepoint;

import io.docbridge.api.HostContext;
import io.docbridge.api.SettingField;
import io.docbridge.graph.GraphDriveType;
import io.docbridge.graph.PluginConnections;
import org.pf4j.Extension;

import java.util.List;

/** A SharePoint document library a person works in, as an external drive in their My Files. */
@Extension
public final class SharePointLibraryType extends GraphDriveType {
    static final String ID = "sharepoint-library";

    public SharePointLibraryType() {
        super("library");
    }

    @Override
    protected PluginConnections connections(HostContext host) {
        return new PluginConnections(host);
    }

    /** An administrator may connect a library for everyone with the app's own identity. */
    @Override
    protected boolean appOnlyAllowed() {
        return true;
    }

    @Override
    protected String unreadable() {
        return "The library cannot be opened";
    }

    @Override
    protected String chooseDrive() {
        return "Choose a site and a library.";
    }

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
        return List.of(SettingField.text(CONNECTION, "Microsoft connection", "", "", true),
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

    /** A library can be shared: an administrator connects it once and everyone sees it in My Files. */
    @Override
    public boolean organisationWide() {
        return true;
    }
}
