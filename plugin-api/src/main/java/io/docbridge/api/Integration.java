package io.docbridge.api;

import org.pf4j.ExtensionPoint;

import java.util.List;
import java.util.Map;

/**
 * A service the whole platform is registered with once (an app registration with Microsoft, say), which the types
 * of one or more plugins use. Every plugin that uses it contributes it under the same {@link #id()}: the host shows
 * one form in its administration pages, keeps one set of values (secret fields encrypted, never shown again), and
 * gives them to each such plugin through {@link HostContext#integration(String)}. The host may also take the values
 * from its environment ({@link #environmentPrefix()}) or, for an offline demo, from a stand-in it runs.
 */
public interface Integration extends ExtensionPoint {

    /** Stable id, the same in every plugin that contributes it, such as {@code microsoft365}. */
    String id();

    /** What an administrator sees, such as "Microsoft 365 app registration". */
    String displayName();

    /** One or two sentences on where the values come from (which admin center, which page). */
    String description();

    /** The values the host asks for, in order; their names are the keys of the values plugins read. */
    List<SettingField> settingFields();

    /**
     * Environment variables that fix the values instead of the form: this prefix, then each field's name in upper
     * snake case ({@code clientId} → {@code DOCBRIDGE_M365_CLIENT_ID}).
     */
    default String environmentPrefix() {
        return "DOCBRIDGE_" + id().toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
    }

    /**
     * Checks submitted values before the host keeps them. The default checks required fields and choices; an
     * override calls it.
     *
     * @return the values to keep
     * @throws SettingsException naming the first field that is not acceptable, in the words of the service's docs
     */
    default Map<String, String> validate(Map<String, String> submitted) {
        SettingField.check(settingFields(), submitted);
        return submitted;
    }

    /** One line on what the values connect to, for the administrator; never a secret. */
    default String summary(Map<String, String> values) {
        return "Configured.";
    }

    /** What the administrator registers at the service for this plugin, such as its redirect URI; one line each. */
    default List<String> registrationNotes(HostContext host) {
        return List.of();
    }
}
