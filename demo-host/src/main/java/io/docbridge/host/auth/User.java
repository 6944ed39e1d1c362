package io.docbridge.host.auth;

import io.docbridge.api.PlatformUser;

import java.time.Instant;

/** A person who can sign in. */
public record User(long id, String username, String displayName, Role role, Instant createdAt) {

    public boolean orgAdmin() {
        return role == Role.ORG_ADMIN;
    }

    /** How plugins see this user. */
    public PlatformUser asPlatformUser() {
        return new PlatformUser(Long.toString(id), username, orgAdmin());
    }
}
