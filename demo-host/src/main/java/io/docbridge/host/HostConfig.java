package io.docbridge.host;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Everything the host needs to start. {@link Main} builds it from the command line and environment; tests build it
 * directly.
 *
 * @param bindAddress    the interface to listen on; {@code 127.0.0.1} keeps the demo private to this machine
 * @param port           the port, or 0 for any free one
 * @param dataDir        database, secret key, uploads in progress and local-disk files
 * @param pluginsDir     where plugin archives are loaded from; must be writable (PF4J expands zips there)
 * @param jdbcUrl        the database, or null for H2 in the data folder
 * @param adminPassword  the first administrator's password, or null to generate one (see
 *                       {@link DocbridgeHost#generatedAdminPassword()})
 * @param maxUploadBytes the largest revision file accepted
 * @param publicBaseUrl  the address people reach the host at, or null for http://localhost:port/
 * @param secretKey      base64 of the 32-byte key that encrypts secrets at rest, or null for a key file in the
 *                       data folder
 * @param environment    the process environment: where plugins' integrations may be configured (such as
 *                       {@code DOCBRIDGE_M365_*}, see {@link io.docbridge.api.Integration#environmentPrefix()})
 * @param emulateMicrosoft365 without a Microsoft 365 registration: run the M365 emulator in-process (the offline
 *                       demo)
 * @param emulatorPort   the emulator's port, or 0 for any free one
 * @param dbPoolSize     the most database connections this instance holds (HikariCP's maximum pool size)
 * @param metricsToken   the bearer token Prometheus sends to {@code /metrics}, or null to serve no metrics
 */
public record HostConfig(String bindAddress, int port, Path dataDir, Path pluginsDir, String jdbcUrl, String dbUser,
                         String dbPassword, String adminPassword, long maxUploadBytes, String publicBaseUrl,
                         String secretKey, Clock clock, java.util.Map<String, String> environment,
                         boolean emulateMicrosoft365, int emulatorPort, int dbPoolSize, String metricsToken) {

    public static final long DEFAULT_MAX_UPLOAD = 4L * 1024 * 1024 * 1024;
    public static final int DEFAULT_POOL_SIZE = 10;

    public HostConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        Objects.requireNonNull(clock, "clock");
        environment = java.util.Map.copyOf(environment);
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("maxUploadBytes must be positive");
        }
        if (dbPoolSize < 2) {
            throw new IllegalArgumentException("dbPoolSize must be at least 2");
        }
    }

    /** Defaults for a data folder and a plugins folder: loopback, a free port, H2, generated secrets. */
    public static HostConfig of(Path dataDir, Path pluginsDir) {
        return new HostConfig("127.0.0.1", 0, dataDir, pluginsDir, null, "sa", "", null, DEFAULT_MAX_UPLOAD, null,
                null, Clock.systemUTC(), java.util.Map.of(), false, 0, DEFAULT_POOL_SIZE, null);
    }

    public HostConfig withPort(int newPort) {
        return new HostConfig(bindAddress, newPort, dataDir, pluginsDir, jdbcUrl, dbUser, dbPassword, adminPassword,
                maxUploadBytes, publicBaseUrl, secretKey, clock, environment, emulateMicrosoft365, emulatorPort, dbPoolSize,
                metricsToken);
    }

    public HostConfig withAdminPassword(String password) {
        return new HostConfig(bindAddress, port, dataDir, pluginsDir, jdbcUrl, dbUser, dbPassword, password,
                maxUploadBytes, publicBaseUrl, secretKey, clock, environment, emulateMicrosoft365, emulatorPort, dbPoolSize,
                metricsToken);
    }

    public HostConfig withMaxUploadBytes(long bytes) {
        return new HostConfig(bindAddress, port, dataDir, pluginsDir, jdbcUrl, dbUser, dbPassword, adminPassword,
                bytes, publicBaseUrl, secretKey, clock, environment, emulateMicrosoft365, emulatorPort, dbPoolSize,
                metricsToken);
    }

    /** With another database than H2 in the data folder. */
    public HostConfig withDatabase(String url, String user, String password) {
        return new HostConfig(bindAddress, port, dataDir, pluginsDir, url, user, password, adminPassword,
                maxUploadBytes, publicBaseUrl, secretKey, clock, environment, emulateMicrosoft365, emulatorPort, dbPoolSize,
                metricsToken);
    }

    /** With Microsoft 365 emulated in-process (the offline demo). */
    public HostConfig withEmulatedMicrosoft365() {
        return new HostConfig(bindAddress, port, dataDir, pluginsDir, jdbcUrl, dbUser, dbPassword, adminPassword,
                maxUploadBytes, publicBaseUrl, secretKey, clock, environment, true, emulatorPort, dbPoolSize, metricsToken);
    }

    /** With the offline demo's emulator on a given port (0: any free one). */
    public HostConfig withEmulatorPort(int port) {
        return new HostConfig(bindAddress, this.port, dataDir, pluginsDir, jdbcUrl, dbUser, dbPassword, adminPassword,
                maxUploadBytes, publicBaseUrl, secretKey, clock, environment, emulateMicrosoft365, port, dbPoolSize,
                metricsToken);
    }

    /** With a bearer token that lets Prometheus read {@code /metrics}. */
    public HostConfig withMetricsToken(String token) {
        return new HostConfig(bindAddress, port, dataDir, pluginsDir, jdbcUrl, dbUser, dbPassword, adminPassword,
                maxUploadBytes, publicBaseUrl, secretKey, clock, environment, emulateMicrosoft365, emulatorPort,
                dbPoolSize, token);
    }

    /** With the key that encrypts secrets at rest (every instance of a cluster has the same). */
    public HostConfig withSecretKey(String base64) {
        return new HostConfig(bindAddress, port, dataDir, pluginsDir, jdbcUrl, dbUser, dbPassword, adminPassword,
                maxUploadBytes, publicBaseUrl, base64, clock, environment, emulateMicrosoft365, emulatorPort,
                dbPoolSize, metricsToken);
    }

    /** With the address people reach the host at (a load balancer's, for several instances). */
    public HostConfig withPublicBaseUrl(String url) {
        return new HostConfig(bindAddress, port, dataDir, pluginsDir, jdbcUrl, dbUser, dbPassword, adminPassword,
                maxUploadBytes, url, secretKey, clock, environment, emulateMicrosoft365, emulatorPort, dbPoolSize,
                metricsToken);
    }
}
