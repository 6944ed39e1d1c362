package io.docbridge.emulator.identity;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Graph permissions the emulator knows, and how requested scope strings map to them. A bare name means a Graph
 * permission ("Files.Read" is "https://graph.microsoft.com/Files.Read"); OIDC scopes stand apart.
 */
public final class Scopes {
    public static final String GRAPH = "https://graph.microsoft.com/";
    public static final Set<String> OIDC = Set.of("openid", "profile", "email", "offline_access");

    /** Delegated permissions and the description the consent page shows. */
    public static final Map<String, String> DELEGATED = Map.of(
            "User.Read", "Sign you in and read your profile",
            "Files.Read", "Read your files",
            "Files.ReadWrite", "Have full access to your files",
            "Files.Read.All", "Read all files that you have access to",
            "Files.ReadWrite.All", "Have full access to all files you have access to",
            "Sites.Read.All", "Read items in all site collections",
            "Sites.ReadWrite.All", "Edit or delete items in all site collections");

    /** Application permissions (roles) for client credentials. */
    public static final Set<String> APPLICATION = Set.of("Sites.Selected", "Sites.ReadWrite.All", "Files.ReadWrite.All",
            "Sites.Read.All", "Files.Read.All", "Sites.FullControl.All");

    private Scopes() {
    }

    /** Parses a scope parameter into Graph permission names and OIDC scopes; null for an unknown scope. */
    public static Set<String> parse(String scopeParam) {
        Set<String> result = new LinkedHashSet<>();
        if (scopeParam == null) {
            return result;
        }
        for (String raw : scopeParam.trim().split("\\s+")) {
            if (raw.isEmpty()) {
                continue;
            }
            String lower = raw.toLowerCase(Locale.ROOT);
            if (OIDC.contains(lower)) {
                result.add(lower);
                continue;
            }
            String name = raw.regionMatches(true, 0, GRAPH, 0, GRAPH.length()) ? raw.substring(GRAPH.length()) : raw;
            String known = DELEGATED.keySet().stream().filter(k -> k.equalsIgnoreCase(name)).findFirst().orElse(null);
            if (known == null) {
                return null;
            }
            result.add(known);
        }
        return result;
    }

    /** The Graph permissions of a parsed scope set (without the OIDC ones). */
    public static Set<String> graphOnly(Set<String> scopes) {
        Set<String> result = new LinkedHashSet<>(scopes);
        result.removeAll(OIDC);
        return result;
    }
}
