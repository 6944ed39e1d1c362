package io.docbridge.graph;

import com.microsoft.aad.msal4j.IAccount;

/**
 * Who a connection is signed in as.
 *
 * @param username the user principal name, such as adele@contoso.com; shown to people, may change
 * @param tenantId the tenant the account belongs to
 * @param objectId the account's object id in that tenant; with {@code tenantId}, what identifies it for good
 */
public record SignedInAccount(String username, String tenantId, String objectId) {

    /** msal4j's account: its home account id is {@code <object id>.<tenant id>}. */
    static SignedInAccount of(IAccount account) {
        String home = account.homeAccountId();
        int dot = home.indexOf('.');
        return new SignedInAccount(account.username(), home.substring(dot + 1), dot < 0 ? home : home.substring(0, dot));
    }

    /** Whether both are the same Microsoft account (usernames can be renamed; object and tenant ids cannot). */
    public boolean sameAccountAs(SignedInAccount other) {
        return objectId.equalsIgnoreCase(other.objectId) && tenantId.equalsIgnoreCase(other.tenantId);
    }
}
