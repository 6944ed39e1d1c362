package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.HostContext;
import io.docbridge.api.PluginException;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where a Microsoft plugin finds its app registration: the values of the {@link Microsoft365Integration} the host
 * gives it (the fields named there), and one setting of the plugin's own, {@code m365.answerSeconds}: how long a
 * person waits for one answer from Microsoft 365 before the page says it timed out (optional; then
 * {@link DriveClient#ANSWER_TIME}).
 */
public final class M365Settings {
    public static final String ANSWER_SECONDS = "m365.answerSeconds";

    private M365Settings() {
    }

    /**
     * The connection settings, if an app registration is configured.
     *
     * @param personalDrives for a person's own OneDrive: with personal accounts allowed, it signs in through
     *                       {@code common} (work accounts and personal Microsoft accounts alike); SharePoint always
     *                       keeps the tenant, which app-only access needs
     */
    public static Optional<GraphConnection> load(HostContext host, boolean personalDrives) {
        Map<String, String> values = host.integration(Microsoft365Integration.ID);
        String clientId = values.getOrDefault(Microsoft365Integration.CLIENT_ID, "");
        String secret = values.getOrDefault(Microsoft365Integration.CLIENT_SECRET, "");
        if (clientId.isBlank() || secret.isBlank()) {
            return Optional.empty();
        }
        String tenant = values.getOrDefault(Microsoft365Integration.TENANT, "organizations");
        return Optional.of(new GraphConnection(cloud(values.getOrDefault(Microsoft365Integration.CLOUD, "Global")),
                personalDrives && personalAccounts(values) ? "common" : tenant, clientId, secret,
                values.getOrDefault(Microsoft365Integration.EXTRA_CA, "")));
    }

    /** Like {@link #load} but explains what is missing. */
    public static GraphConnection require(HostContext host, boolean personalDrives) {
        return load(host, personalDrives).orElseThrow(() -> new PluginException(ErrorKind.INVALID_INPUT,
                "Integration not available: the Microsoft 365 app registration is not configured. Ask your "
                        + "administrator."));
    }

    /**
     * Through {@code common}, the one organisation whose work accounts may sign in beside personal accounts: the
     * registration's tenant. Empty when sign-ins go through the tenant itself.
     */
    static String homeTenant(HostContext host, boolean personalDrives) {
        Map<String, String> values = host.integration(Microsoft365Integration.ID);
        return personalDrives && personalAccounts(values) ? values.getOrDefault(Microsoft365Integration.TENANT, "")
                : "";
    }

    private static boolean personalAccounts(Map<String, String> values) {
        return Boolean.parseBoolean(values.getOrDefault(Microsoft365Integration.PERSONAL_ACCOUNTS, "false"));
    }

    /** How long a person waits for one answer; a setting that is not a positive number of seconds is ignored. */
    static Duration answerTime(HostContext host) {
        return host.settings().get(ANSWER_SECONDS).filter(v -> v.matches("[1-9][0-9]{0,3}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(DriveClient.ANSWER_TIME);
    }

    static GraphCloud cloud(String name) {
        return switch (name) {
            case "Global" -> GraphCloud.GLOBAL;
            case "US Government L4" -> GraphCloud.US_GOV_L4;
            case "US Government L5 (DOD)" -> GraphCloud.US_GOV_L5;
            case "China" -> GraphCloud.CHINA;
            default -> {
                if (!name.startsWith("https://")) {
                    throw new PluginException(ErrorKind.INVALID_INPUT, "Unknown Microsoft cloud: " + name);
                }
                yield GraphCloud.standIn("Stand-in", URI.create(name));
            }
        };
    }
}
