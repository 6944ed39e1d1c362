package io.docbridge.graph;

import java.net.URI;
import java.util.Objects;

/**
 * Where a Microsoft cloud lives: the identity platform that signs in and the Graph endpoint that serves drives.
 * The same code serves the global cloud, the national clouds and a local stand-in; only this value differs.
 *
 * @param name          what a person picks ("Global", "US Government L4", "Emulator")
 * @param authority     the login host, such as {@code https://login.microsoftonline.com/}; must be https (msal4j)
 * @param graph         the Graph v1.0 base URL requests go to, such as {@code https://graph.microsoft.com/v1.0}
 * @param graphResource the resource that scopes name, such as {@code https://graph.microsoft.com}; differs from
 *                      the base URL's host when requests go through a stand-in or a proxy
 */
public record GraphCloud(String name, URI authority, URI graph, String graphResource) {

    /** Microsoft's national cloud deployments: https://learn.microsoft.com/graph/deployments */
    public static final GraphCloud GLOBAL = of("Global", "https://login.microsoftonline.com/",
            "https://graph.microsoft.com");
    public static final GraphCloud US_GOV_L4 = of("US Government L4", "https://login.microsoftonline.us/",
            "https://graph.microsoft.us");
    public static final GraphCloud US_GOV_L5 = of("US Government L5 (DOD)", "https://login.microsoftonline.us/",
            "https://dod-graph.microsoft.us");
    public static final GraphCloud CHINA = of("China (21Vianet)", "https://login.chinacloudapi.cn/",
            "https://microsoftgraph.chinacloudapi.cn");

    private static GraphCloud of(String name, String authority, String graphHost) {
        return new GraphCloud(name, URI.create(authority), URI.create(graphHost + "/v1.0"), graphHost);
    }

    /**
     * A stand-in that serves sign-in and Graph on one base URL (the m365-emulator): tokens are still for Microsoft
     * Graph, so scopes keep naming graph.microsoft.com.
     */
    public static GraphCloud standIn(String name, URI base) {
        String b = base.toString().endsWith("/") ? base.toString() : base + "/";
        return new GraphCloud(name, URI.create(b), URI.create(b + "v1.0"), "https://graph.microsoft.com");
    }

    /** A scope of this cloud's Graph: {@code scope("Files.ReadWrite.All")}, or ".default" for app-only. */
    public String scope(String permission) {
        return graphResource + "/" + permission;
    }

    public GraphCloud {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(graphResource, "graphResource");
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
