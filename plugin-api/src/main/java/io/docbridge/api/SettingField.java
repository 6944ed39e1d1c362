package io.docbridge.api;

import java.util.List;
import java.util.Objects;

/**
 * One setting of a type, as data: the host draws a form from a list of these (rclone's options, Jenkins'
 * descriptors). A type that needs steps (sign in, then pick a site) ships its own template instead; see
 * {@link ConfigurableType#settingsTemplate()}.
 *
 * @param name         the form and storage key: letters, digits, '-', '_' and '.'
 * @param label        what the form shows
 * @param help         one sentence under the field; may be empty
 * @param kind         how to draw and store it; {@link Kind#SECRET} values go to the encrypted secret store and
 *                     are never shown again
 * @param defaultValue pre-filled value; may be empty
 * @param required     whether an empty value is refused
 * @param choices      for {@link Kind#CHOICE}: the allowed values; empty otherwise
 */
public record SettingField(String name, String label, String help, Kind kind, String defaultValue, boolean required,
                           List<String> choices) {

    /** {@link #FLAG} is a checkbox: {@code "true"} when ticked, {@code "false"} when not. */
    public enum Kind { TEXT, SECRET, CHOICE, NUMBER, FLAG }

    public SettingField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(defaultValue, "defaultValue");
        choices = List.copyOf(choices);
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("bad setting name: " + name);
        }
        if ((kind == Kind.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException("a CHOICE field needs choices, other kinds none: " + name);
        }
    }

    public static SettingField text(String name, String label, String help, String defaultValue, boolean required) {
        return new SettingField(name, label, help, Kind.TEXT, defaultValue, required, List.of());
    }

    public static SettingField secret(String name, String label, String help) {
        return new SettingField(name, label, help, Kind.SECRET, "", true, List.of());
    }

    /**
     * Checks submitted values against fields: required ones present, choices among the allowed.
     *
     * @throws SettingsException naming the first field that is not acceptable
     */
    public static void check(List<SettingField> fields, java.util.Map<String, String> submitted) {
        for (SettingField field : fields) {
            String value = submitted.getOrDefault(field.name(), "");
            if (field.required() && value.isBlank()) {
                throw new SettingsException(field.name(), field.label() + " is required");
            }
            if (field.kind() == Kind.CHOICE && !value.isEmpty() && !field.choices().contains(value)) {
                throw new SettingsException(field.name(), field.label() + " must be one of " + field.choices());
            }
        }
    }

    /** A checkbox, {@code "true"} or {@code "false"}. */
    public static SettingField flag(String name, String label, String help) {
        return new SettingField(name, label, help, Kind.FLAG, "false", false, List.of());
    }

    public static SettingField choice(String name, String label, String help, List<String> choices) {
        return new SettingField(name, label, help, Kind.CHOICE, choices.get(0), true, choices);
    }
}
