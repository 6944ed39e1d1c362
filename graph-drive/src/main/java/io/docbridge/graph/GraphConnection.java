package io.docbridge.graph;

import java.util.Objects;

/**
 * How to reach one Microsoft 365 tenant: the cloud, the tenant, the app registration and any extra CA to trust.
 *
 * @param tenant       a tenant id or domain, or {@code organizations}
 * @param clientSecret the app registration's client secret (a confidential client)
 * @param extraCaPem   PEM of an extra CA to trust (a TLS-inspecting proxy, the emulator); empty for none
 */
public record GraphConnection(GraphCloud cloud, String tenant, String clientId, String clientSecret,
                              String extraCaPem) {

    public GraphConnection {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        extraCaPem = extraCaPem == null ? "" : extraCaPem;
        cloud.tenantAuthority(tenant); // refuses a tenant that is not an id or domain
    }

    /** Everything but the client secret, which never reaches a log or a page. */
    @Override
    public String toString() {
        return "GraphConnection[cloud=" + cloud + ", tenant=" + tenant + ", clientId=" + clientId
                + ", clientSecret=***]";
    }

    /** Whether the authority is one of Microsoft's own, which msal4j knows without asking (instance discovery). */
    boolean microsoftAuthority() {
        String host = cloud.authority().getHost();
        return host.equals("login.microsoftonline.com") || host.equals("login.microsoftonline.us")
                || host.equals("login.chinacloudapi.cn");
    }
}
