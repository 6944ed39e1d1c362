package io.docbridge.api;

import java.util.Objects;

/**
 * The account a person signed in with at a service.
 *
 * @param id       the service's stable id of the account (for Microsoft, the object id)
 * @param realm    where the account lives (for Microsoft, the tenant id; personal accounts share one)
 * @param username what the person knows it by, such as an email address
 */
public record SignInAccount(String id, String realm, String username) {
    public SignInAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(username, "username");
    }

    /** The same account: same id in the same realm (usernames can be renamed). */
    public boolean sameAccountAs(SignInAccount other) {
        return id.equalsIgnoreCase(other.id) && realm.equalsIgnoreCase(other.realm);
    }
}
