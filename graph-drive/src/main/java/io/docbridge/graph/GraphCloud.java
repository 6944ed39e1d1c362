package io.docbridge.graph;

import java.net.URI;
import java.util.Objects;

/**
 * Where a Microsoft cloud lives: the identity platform that signs in and the Graph endpoint that serves drives.
 * The same code serves the global cloud, the national clouds and a local stand-in; only this value differs.
 *
 * @param name      what a person picks ("Global", "US Government L4", "Emulator")
 * @param authority the login host, such as {@code https://login.microsoftonline.com/}; must be https (msal4j)
 * @param graph     the Graph v1.0 base, such as {@code https://graph.microsoft.com/v1.0}
 */
public record GraphCloud(String name, URI authority, URI graph) {

    /** Microsoft's national cloud deployments: https://learn.microsoft.com/graph/deployments */
    public static final GraphCloud GLOBAL = new GraphCloud("Global",
            URI.create("https://login.microsoftonline.com/"), URI.create("https://graph.microsoft.com/v1.0"));
    public static final GraphCloud US_GOV_L4 = new GraphCloud("US Government L4",
            URI.create("https://login.microsoftonline.us/"), URI.create("https://graph.microsoft.us/v1.0"));
    public static final GraphCloud US_GOV_L5 = new GraphCloud("US Government L5 (DOD)",
            URI.create("https://login.microsoftonline.us/"), URI.create("https://dod-graph.microsoft.us/v1.0"));
    public static final GraphCloud CHINA = new GraphCloud("China (21Vianet)",
            URI.create("https://login.chinacloudapi.cn/"), URI.create("https://microsoftgraph.chinacloudapi.cn/v1.0"));

    public GraphCloud {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(graph, "graph");
        if (!"https".equals(authority.getScheme()) || !"https".equals(graph.getScheme())) {
            throw new IllegalArgumentException("Microsoft sign-in and Graph are only reached over https");
        }
    }

    /** The authority URL of one tenant ({@code organizations}, {@code common}, or a tenant id or domain). */
    public URI tenantAuthority(String tenant) {
        if (!tenant.matches("[A-Za-z0-9.-]{1,100}")) {
            throw new IllegalArgumentException("not a tenant id or domain: " + tenant);
        }
        return authority.resolve(tenant + "/");
    }
}
