package io.docbridge.host.storage;

import io.docbridge.api.HostContext;
import io.docbridge.api.InstanceSettings;
import io.docbridge.api.SettingField;
import io.docbridge.api.SettingsException;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StorageProviderType;
import io.docbridge.host.PrivateFiles;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's built-in storage: a folder on the host's disk. Registered by the host itself rather than found by
 * PF4J, because it needs the data folder, which plugins are not given.
 */
public final class LocalDiskStorageType implements StorageProviderType {
    public static final String ID = "local-disk";
    static final String FOLDER = "folder";

    private final Path dataDir;

    public LocalDiskStorageType(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String displayName() {
        return "Local disk";
    }

    @Override
    public String description() {
        return "Files in a folder on the host's own disk.";
    }

    @Override
    public List<SettingField> settingFields() {
        return List.of(SettingField.text(FOLDER, "Folder",
                "An absolute path, or one relative to the host's data folder. With several host instances, a "
                        + "shared folder every instance mounts at the same path.", "files", true));
    }

    /** Keys are paths inside the folder, so the folder of a saved provider stays what it is. */
    @Override
    public Map<String, String> validateChange(InstanceSettings saved, Map<String, String> submitted,
                                              io.docbridge.api.PlatformUser by, HostContext host) {
        String folder = submitted.getOrDefault(FOLDER, "").trim();
        if (!folder.equals(saved.value(FOLDER).orElse(""))) {
            throw new SettingsException(FOLDER, "The folder of a saved provider cannot change: the revisions stored "
                    + "in it stay there. To store new revisions elsewhere, add another Local disk provider and make it "
                    + "the default.");
        }
        return validate(submitted, by, host);
    }

    @Override
    public Map<String, String> validate(Map<String, String> submitted, io.docbridge.api.PlatformUser by,
                                        HostContext host) {
        Map<String, String> values = new HashMap<>(StorageProviderType.super.validate(submitted, by, host));
        Path folder = folder(values.get(FOLDER).trim());
        try {
            if (!Files.isDirectory(folder)) {
                PrivateFiles.folder(folder); // made for the host's files alone; one that exists is left as it is
            }
        } catch (Exception e) {
            throw new SettingsException(FOLDER, "Cannot create the folder " + folder + ": " + e.getMessage());
        }
        if (!Files.isWritable(folder)) {
            throw new SettingsException(FOLDER, "The host may not write to " + folder);
        }
        values.put(FOLDER, values.get(FOLDER).trim());
        return values;
    }

    @Override
    public StorageProvider create(InstanceSettings settings, HostContext host) {
        return new LocalDiskStorage(folder(settings.require(FOLDER)), host.clock());
    }

    private Path folder(String value) {
        try {
            return dataDir.resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw new SettingsException(FOLDER, "Not a folder path: " + e.getMessage());
        }
    }
}
