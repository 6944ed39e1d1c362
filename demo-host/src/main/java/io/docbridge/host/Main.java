package io.docbridge.host;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the demo host from the command line. Options ({@code --port 8080}) win over environment variables
 * ({@code DOCBRIDGE_PORT}); see README.md for the list.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> options = parse(args);
        HostConfig config = new HostConfig(
                option(options, "bind", "DOCBRIDGE_BIND", "127.0.0.1"),
                Integer.parseInt(option(options, "port", "DOCBRIDGE_PORT", "8080")),
                Path.of(option(options, "data", "DOCBRIDGE_DATA", "docbridge-data")),
                Path.of(option(options, "plugins", "DOCBRIDGE_PLUGINS", "plugins")),
                option(options, "jdbc-url", "DOCBRIDGE_JDBC_URL", null),
                option(options, "db-user", "DOCBRIDGE_DB_USER", "sa"),
                option(options, "db-password", "DOCBRIDGE_DB_PASSWORD", ""),
                System.getenv("DOCBRIDGE_ADMIN_PASSWORD"),
                Long.parseLong(option(options, "max-upload-mb", "DOCBRIDGE_MAX_UPLOAD_MB", "4096")) * 1024 * 1024,
                option(options, "public-url", "DOCBRIDGE_PUBLIC_URL", null),
                System.getenv("DOCBRIDGE_SECRET_KEY"),
                Clock.systemUTC(),
                System.getenv(),
                true,
                Integer.parseInt(option(options, "emulator-port", "DOCBRIDGE_EMULATOR_PORT", "8443")),
                Integer.parseInt(option(options, "db-pool-size", "DOCBRIDGE_DB_POOL_SIZE",
                        Integer.toString(HostConfig.DEFAULT_POOL_SIZE))),
                System.getenv("DOCBRIDGE_METRICS_TOKEN"));
        try {
            DocbridgeHost host = DocbridgeHost.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(host::close, "docbridge-shutdown"));
            System.out.println();
            System.out.println("  Docbridge is running at " + host.baseUrl());
            host.generatedAdminPassword().ifPresent(password -> {
                System.out.println("  First start: sign in as 'admin' with the password " + password);
                System.out.println("  (shown this once; set DOCBRIDGE_ADMIN_PASSWORD to choose it yourself)");
            });
            System.out.println();
        } catch (HostStartupException e) {
            System.err.println("Docbridge could not start. " + e.getMessage());
            System.exit(1);
        } catch (Throwable e) {
            // Without this, the main thread would die while Jetty's threads keep the port and the process alive,
            // and no supervisor would restart it.
            System.err.println("Docbridge could not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("Usage: java -jar docbridge-host.jar [--port N] [--data DIR] [--plugins DIR] "
                        + "[--bind ADDRESS] [--jdbc-url URL] [--db-user U] [--db-password P] [--public-url URL] "
                        + "[--max-upload-mb N] [--emulator-port N] [--db-pool-size N]");
                System.exit(2);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String option(Map<String, String> options, String name, String env, String fallback) {
        String value = options.get(name);
        if (value == null) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
