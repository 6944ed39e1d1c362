package io.docbridge.graph;

/**
 * Who a connection is signed in as.
 *
 * @param username the user principal name, such as adele@contoso.com
 * @param tenantId the tenant the account belongs to
 */
public record SignedInAccount(String username, String tenantId) {
}
