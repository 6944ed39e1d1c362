package io.docbridge.sharepoint;

import io.docbridge.graph.PluginConnections;
import io.docbridge.api.HostContext;
import io.docbridge.api.InstanceSettings;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.PluginException;
import io.docbridge.api.SettingField;
import io.docbridge.api.SettingsException;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StorageProviderType;
import org.pf4j.Extension;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SharePoint Online as document storage. Set up in steps (Connect with Microsoft, then a site, a library and a
 * folder layout), so it ships its own settings template; the chosen values come back to the host's form as fields.
 */
@Extension
public final class SharePointStorageType implements StorageProviderType {
    static final String ID = "sharepoint";
    static final String CONNECTION = "connection";
    static final String LIBRARY = "library";
    static final String LAYOUT = "layout";
    static final String ROOT = "root";
    /** The library that keys without a library (saved before keys named it) are in; set at the first change. */
    static final String KEYS_LIBRARY = "keysLibrary";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "SharePoint Online";
    }

    @Override
    public String description() {
        return "Revision files in a document library of your organisation's SharePoint.";
    }

    @Override
    public List<SettingField> settingFields() {
        return List.of(
                SettingField.text(CONNECTION, "Microsoft connection", "", "", true),
                SettingField.text("account", "Signed in as", "", "", false),
                SettingField.text("site", "Site", "", "", true),
                SettingField.text("siteName", "Site name", "", "", false),
                SettingField.text(LIBRARY, "Library", "", "", true),
                SettingField.text("libraryName", "Library name", "", "", false),
                SettingField.choice(LAYOUT, "Folder structure",
                        "By project: /{Project}/{Document number}/{Revision}/file. Flat: one folder.",
                        List.of(FolderLayout.BY_PROJECT.name(), FolderLayout.FLAT.name())),
                SettingField.text(ROOT, "Root folder", "A folder inside the library; empty for the library's top.",
                        "Docbridge", false));
    }

    @Override
    public String settingsTemplate() {
        return "sharepoint/settings.ftlh";
    }

    /**
     * SharePoint's limit for one file or folder name
     * (https://support.microsoft.com/office/64883a5d-228e-48f5-b3d2-eb39e07630fa).
     */
    private static final int MAX_FOLDER_NAME = 255;

    @Override
    public Map<String, String> validate(Map<String, String> submitted, PlatformUser by, HostContext host) {
        Map<String, String> values = new HashMap<>(submitted);
        String connection = values.getOrDefault(CONNECTION, "");
        PluginConnections connections = new PluginConnections(host);
        boolean appOnly = PluginConnections.APP_ONLY.equals(connection);
        if (connection.isBlank() || !appOnly && connections.account(connection).isEmpty()) {
            throw new SettingsException(CONNECTION, "Connect with Microsoft first.");
        }
        if (!connections.mayUse(connection, by) || !connections.organisations(connection)) {
            // A person's own connection (made for a drive in their My Files) must not carry the organisation's files.
            throw new SettingsException(CONNECTION, "This Microsoft connection belongs to one person, not to the "
                    + "organisation. Connect with Microsoft from Settings → Storage.");
        }
        // Who it is signed in as comes from the connection, never from the form.
        values.put("account", appOnly ? "" : connections.account(connection).orElseThrow().username());
        if (values.getOrDefault(LIBRARY, "").isBlank()) {
            throw new SettingsException(LIBRARY, "Choose a site and a library.");
        }
        StorageProviderType.super.validate(values, by, host);
        try {
            connections.drives(connection).drive(values.get(LIBRARY));
        } catch (PluginException e) {
            throw new SettingsException(LIBRARY, "The library cannot be opened: " + e.getMessage());
        }
        String root = values.getOrDefault(ROOT, "").trim();
        if (root.contains("/") || root.contains("\\")) {
            throw new SettingsException(ROOT, "The root folder is one folder name, without / or \\.");
        }
        if (root.length() > MAX_FOLDER_NAME) {
            // Checked here, not first at Verify or at the first upload: SharePoint refuses a longer name outright.
            throw new SettingsException(ROOT, "The root folder's name has " + root.length() + " characters; "
                    + "SharePoint allows at most " + MAX_FOLDER_NAME + " in a name, and fewer than "
                    + SharePointNames.MAX_PATH + " in a whole path. Choose a shorter name.");
        }
        values.put(ROOT, root);
        return values;
    }

    /**
     * The connection, site and library stay ids underneath; the card shows who it signs in as and the names. A new
     * library is allowed: stored keys name their library, so earlier revisions stay readable where they are.
     */
    @Override
    public Map<String, String> validateChange(InstanceSettings saved, Map<String, String> submitted, PlatformUser by,
                                              HostContext host) {
        Map<String, String> values = new HashMap<>(validate(submitted, by, host));
        saved.value(KEYS_LIBRARY).or(() -> saved.value(LIBRARY)).ifPresent(v -> values.put(KEYS_LIBRARY, v));
        return values;
    }

    @Override
    public Map<String, String> summary(InstanceSettings settings) {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("Signed in as", PluginConnections.APP_ONLY.equals(settings.value(CONNECTION).orElse(""))
                ? "App-only access (no user sign-in)" : settings.value("account").orElse(""));
        shown.put("Site", settings.value("siteName").orElse(settings.value("site").orElse("")));
        shown.put("Library", settings.value("libraryName").orElse(settings.value(LIBRARY).orElse("")));
        shown.put("Folder structure", FolderLayout.BY_PROJECT.name().equals(settings.value(LAYOUT)
                .orElse(FolderLayout.BY_PROJECT.name())) ? "By project: /Project/Document number/Revision/file"
                : "Flat: all files in one folder");
        shown.put("Root folder", settings.value(ROOT).filter(r -> !r.isBlank()).orElse("(the library's top)"));
        return shown;
    }

    @Override
    public String reconnectPath(InstanceSettings settings, String setup) {
        if (PluginConnections.APP_ONLY.equals(settings.require(CONNECTION))) {
            return null; // nothing to sign in again: the app signs itself in
        }
        return PluginConnections.reconnectPath(settings.require(CONNECTION), setup);
    }

    @Override
    public StorageProvider create(InstanceSettings settings, HostContext host) {
        PluginConnections connections = new PluginConnections(host);
        String root = settings.value(ROOT).orElse("");
        return new SharePointStorage(connections.drives(settings.require(CONNECTION)), settings.require(LIBRARY),
                settings.value(KEYS_LIBRARY).orElse(settings.require(LIBRARY)), FolderLayout.valueOf(settings.value(LAYOUT).orElse(FolderLayout.BY_PROJECT.name())),
                root.isEmpty() ? List.of() : List.of(root), host.clock());
    }
}
