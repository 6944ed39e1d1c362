package io.docbridge.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What storage provider types and external drive types share: a stateless description of something an
 * administrator or user configures. PF4J creates one instance with the no-argument constructor and caches it, so
 * an implementation holds no configuration and must be safe for concurrent use.
 */
public interface ConfigurableType {

    /** Stable id, unique among all types of the same kind across plugins, such as {@code sharepoint}. */
    String id();

    /** What a person sees, such as "SharePoint Online". */
    String displayName();

    /** One sentence on what it is for. */
    String description();

    /** The settings the host's generic form asks for; empty when there are none. */
    List<SettingField> settingFields();

    /**
     * A FreeMarker template ({@code .ftlh}, HTML-escaped) on the plugin's class path that replaces the generic form,
     * for types whose setup has steps. Null for the generic form. The template renders inside the host's page frame
     * and gets {@code fields}, {@code values}, {@code errors}, {@code csrf} (the hidden input's name and value),
     * {@code pluginBase} (the URL prefix of the plugin's servlets) and {@code setup} (the id of the {@link Setup} its
     * steps continue, to pass along to them); for an external drive also {@code organisation}, true when an
     * administrator connects it for everyone (see {@link ExternalDriveType#organisationWide()}).
     */
    default String settingsTemplate() {
        return null;
    }

    /**
     * Where a person signs in again when an instance's health is {@link Health.Status#NEEDS_RECONNECT}: a path below
     * the plugin's servlets (such as {@code connect?connection=abc&setup=…}) whose steps end with
     * {@link Setups#handBack} of the setup named {@code setup}, every setting kept. Null for types without a sign-in.
     *
     * @param setup the id of the {@link Setup} the host started for the reconnect
     */
    default String reconnectPath(InstanceSettings settings, String setup) {
        return null;
    }

    /**
     * Checks and normalises submitted settings before the host saves them, for the person configuring: a drive's
     * owner, or the administrator who adds storage or an organisation drive. Whatever the settings reach through (a
     * sign-in, say) must be one that person may use. Secret fields arrive here too and are saved by the host to the
     * secret store, not with the other values. The default checks required fields and choices; an override calls it.
     *
     * @param by who is configuring (for what the host sets up by itself, a user named {@code host})
     * @return the values to save
     * @throws SettingsException naming the first field that is not acceptable
     */
    default Map<String, String> validate(Map<String, String> submitted, PlatformUser by, HostContext host) {
        SettingField.check(settingFields(), submitted);
        return submitted;
    }

    /**
     * What the host shows about a configured instance (its card, a drive's menu), label to value in display order;
     * never a secret. The default lists the non-secret fields that have a value, by their labels; a type whose saved
     * values are ids overrides it with the names a person knows.
     */
    default Map<String, String> summary(InstanceSettings settings) {
        Map<String, String> shown = new LinkedHashMap<>();
        for (SettingField field : settingFields()) {
            settings.value(field.name()).filter(v -> !v.isBlank() && field.kind() != SettingField.Kind.SECRET)
                    .ifPresent(v -> shown.put(field.label(), v));
        }
        return shown;
    }
}
