package io.docbridge.emulator;

import io.docbridge.emulator.identity.Directory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the emulator on its own: {@code java -jar m365-emulator.jar --port 8443 --data emulator-data
 * [--app-redirect https://host/callback]}. On first start seeds the demo tenant and registers one app; state is
 * kept in the data folder, so later starts carry on. Prints what a client needs: the authority, the Graph base URL,
 * the client id and secret, and where the CA certificate is.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                System.err.println("Usage: java -jar m365-emulator.jar [--port N] [--data DIR] [--bind ADDRESS] "
                        + "[--app-redirect URI]");
                System.exit(2);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Path data = Path.of(options.getOrDefault("data", "emulator-data"));
        M365Emulator emulator = M365Emulator.builder()
                .port(Integer.parseInt(options.getOrDefault("port", "8443")))
                .bindAddress(options.getOrDefault("bind", "127.0.0.1"))
                .dataDir(data)
                .signInHint(DemoSeed.signInHint())
                .start();
        if (!emulator.restored()) {
            DemoSeed.seed(emulator);
            emulator.directory().addApp("Docbridge",
                    List.of(options.getOrDefault("app-redirect", "http://localhost:8080/plugins/sharepoint/callback")),
                    List.of("emulator-secret-" + Long.toHexString(new java.security.SecureRandom().nextLong())));
            emulator.saveIfChanged();
        }
        Directory.Tenant tenant = emulator.directory().tenant(DemoSeed.TENANT_DOMAIN).orElseThrow();
        Directory.App app = emulator.directory().apps().stream().filter(a -> a.displayName().equals("Docbridge"))
                .findFirst().orElseThrow();
        String secret = app.secrets().get(0);
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "emulator-shutdown"));
        System.out.println();
        System.out.println("  M365 emulator at " + emulator.baseUrl());
        System.out.println("  authority      " + emulator.authority(tenant.id()));
        System.out.println("  Graph          " + emulator.graphUrl());
        System.out.println("  client id      " + app.clientId());
        System.out.println("  client secret  " + secret);
        System.out.println("  CA certificate " + data.toAbsolutePath().resolve("ca.pem"));
        System.out.println("  control API    " + emulator.baseUrl().resolve("_control/") + " with header "
                + io.docbridge.emulator.control.ControlServlet.TOKEN_HEADER + ": " + emulator.controlToken()
                + " (also in " + data.toAbsolutePath().resolve("control-token") + ")");
        System.out.println("  sign in as     megan@" + DemoSeed.TENANT_DOMAIN + " / " + DemoSeed.PASSWORD);
        System.out.println();
    }
}
