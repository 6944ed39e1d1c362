package io.docbridge.host.auth;

/** What a person may do on the platform. */
public enum Role {
    /** Configures storage, plugins and users, besides everything a user does. */
    ORG_ADMIN("Organisation admin"),
    /** Works with documents and their own files. */
    USER("User");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
