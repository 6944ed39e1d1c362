package io.docbridge.example;

import io.docbridge.api.HostContext;
import io.docbridge.api.InstanceSettings;
import io.docbridge.api.PlatformUser;
import io.docbridge.api.SettingField;
import io.docbridge.api.SettingsException;
import io.docbridge.api.StorageProvider;
import io.docbridge.api.StorageProviderType;
import org.pf4j.Extension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The storage type: what the host's form asks for (one folder), how it is checked, and how a provider is made from
 * what was saved. Stateless, as PF4J keeps one instance.
 */
@Extension
public final class CompressedFolderType implements StorageProviderType {

    @Override
    public String id() {
        return "compressed-folder";
    }

    @Override
    public String displayName() {
        return "Compressed folder";
    }

    @Override
    public String description() {
        return "Revision files gzip-compressed in a folder of the host (an example plugin).";
    }

    @Override
    public List<SettingField> settingFields() {
        return List.of(SettingField.text("folder", "Folder", "An absolute path the host may write to.", "", true));
    }

    @Override
    public Map<String, String> validate(Map<String, String> submitted, PlatformUser by, HostContext host) {
        Map<String, String> values = StorageProviderType.super.validate(submitted, by, host); // required fields
        Path folder = Path.of(values.get("folder").trim());
        if (!folder.isAbsolute()) {
            throw new SettingsException("folder", "Folder must be an absolute path, such as /srv/docbridge");
        }
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new SettingsException("folder", folder + " is a file, not a folder");
        }
        return Map.of("folder", folder.normalize().toString());
    }

    @Override
    public StorageProvider create(InstanceSettings settings, HostContext host) {
        String folder = settings.value("folder").orElseThrow(() -> new SettingsException("folder", "Folder is missing"));
        return new CompressedFolderStorage(Path.of(folder), host.clock());
    }
}
