package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.HostContext;
import io.docbridge.api.PluginException;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a Microsoft plugin finds its app registration: in its own settings store (keys below) and secret store
 * ({@link #CLIENT_SECRET}). A platform administrator fills them in; the demo host fills them for its built-in
 * emulator. Keys:
 * <ul>
 *   <li>{@code m365.cloud}: Global, US Government L4, US Government L5 (DOD), China, or a stand-in base URL
 *       (https://host:port/), such as the emulator's</li>
 *   <li>{@code m365.tenant}: tenant id or domain, or {@code organizations}</li>
 *   <li>{@code m365.clientId}: the application (client) id</li>
 *   <li>{@code m365.extraCaPem}: PEM of an extra CA to trust; optional</li>
 *   <li>{@code m365.notice}: a line pages show while this is an emulated tenant; optional</li>
 *   <li>{@code m365.homeTenant}: with {@code m365.tenant} = {@code common}, the one organisation (id or domain) whose
 *       work accounts may sign in, beside personal Microsoft accounts; optional (then any)</li>
 *   <li>{@code m365.answerSeconds}: how long a person waits for one answer from Microsoft 365 before the page says it
 *       timed out; optional (then {@link DriveClient#ANSWER_TIME})</li>
 * </ul>
 */
public final class M365Settings {
    public static final String CLOUD = "m365.cloud";
    public static final String TENANT = "m365.tenant";
    public static final String CLIENT_ID = "m365.clientId";
    public static final String CLIENT_SECRET = "m365.clientSecret";
    public static final String EXTRA_CA = "m365.extraCaPem";
    public static final String NOTICE = "m365.notice";
    public static final String HOME_TENANT = "m365.homeTenant";
    public static final String ANSWER_SECONDS = "m365.answerSeconds";

    private M365Settings() {
    }

    /** The connection settings, if an app registration is configured. */
    public static Optional<GraphConnection> load(HostContext host) {
        Optional<String> clientId = host.settings().get(CLIENT_ID);
        Optional<String> secret = host.secrets().get(CLIENT_SECRET);
        if (clientId.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GraphConnection(cloud(host.settings().get(CLOUD).orElse("Global")),
                host.settings().get(TENANT).orElse("organizations"), clientId.get(), secret.get(),
                host.settings().get(EXTRA_CA).orElse("")));
    }

    /** Like {@link #load} but explains what is missing. */
    public static GraphConnection require(HostContext host) {
        return load(host).orElseThrow(() -> new PluginException(ErrorKind.INVALID_INPUT, "Integration not available: "
                + "the Microsoft 365 app registration is not configured. Ask your administrator."));
    }

    /** How long a person waits for one answer; a setting that is not a positive number of seconds is ignored. */
    static Duration answerTime(HostContext host) {
        return host.settings().get(ANSWER_SECONDS).filter(v -> v.matches("[1-9][0-9]{0,3}"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(DriveClient.ANSWER_TIME);
    }

    /** Writes the settings (the demo host does this for its emulator). */
    public static void save(HostContext host, String cloud, String tenant, String clientId, String clientSecret,
                            String extraCaPem, String notice) {
        host.settings().put(CLOUD, cloud);
        host.settings().put(TENANT, tenant);
        host.settings().put(CLIENT_ID, clientId);
        host.secrets().put(CLIENT_SECRET, clientSecret);
        host.settings().put(EXTRA_CA, extraCaPem == null ? "" : extraCaPem);
        host.settings().put(NOTICE, notice == null ? "" : notice);
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
