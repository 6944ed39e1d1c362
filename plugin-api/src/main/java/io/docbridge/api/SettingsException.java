package io.docbridge.api;

import java.util.Objects;

/**
 * A setting a person entered is not acceptable. Names the form field, so the host can show the message next to
 * it; the kind is always {@link ErrorKind#INVALID_INPUT}.
 */
public class SettingsException extends PluginException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public SettingsException(String field, String message) {
        super(ErrorKind.INVALID_INPUT, message);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The {@link SettingField#name()} the message is about. */
    public String field() {
        return field;
    }
}
