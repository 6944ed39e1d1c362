package io.docbridge.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The saved settings of one configured instance (a storage provider, an external drive), as the type's
 * {@link ConfigurableType#validate} returned them.
 *
 * @param instanceId the host's stable id for the instance; a plugin keys its secrets by it
 * @param values     setting name to value; secrets are not here, they are in {@link HostContext#secrets()}
 */
public record InstanceSettings(String instanceId, Map<String, String> values) {

    public InstanceSettings {
        Objects.requireNonNull(instanceId, "instanceId");
        values = Map.copyOf(values);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
    }

    /** The {@link SecretStore} key under which the host saved this instance's {@link SettingField.Kind#SECRET} field. */
    public String secretKey(String field) {
        return instanceId + "/" + field;
    }

    /** The value of a required setting, or a {@link SettingsException} naming it. */
    public String require(String name) {
        return value(name).orElseThrow(() -> new SettingsException(name, name + " is required"));
    }
}
