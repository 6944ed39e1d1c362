package io.docbridge.bench;

import io.docbridge.emulator.PrivateFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the three clients, each wrapped in its own mount namespace in which graph.microsoft.com and
 * login.microsoftonline.com are the emulator (a hosts file) and the emulator's CA is trusted (a CA bundle): bind
 * mounts that only the client's process sees, so the machine's own files are never changed.
 */
final class Clients {
    private static final String SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

    private final Path dir;
    private final Path hosts;
    private final Path bundle;
    private final Path rcloneConfig;

    private Clients(Path dir) {
        this.dir = dir;
        this.hosts = dir.resolve("hosts");
        this.bundle = dir.resolve("ca-certificates.crt");
        this.rcloneConfig = dir.resolve("rclone.conf");
    }

    /**
     * Writes the hosts file, the CA bundle (the emulator's CA and the yardstick server's added), our client's token
     * and CA, and rclone's configuration (two remotes).
     */
    static Clients prepare(Path dir, String caPem, String token, String transfersDrive, String listingDrive,
                           String yardstickCaPem) throws IOException {
        Clients clients = new Clients(dir);
        Files.writeString(clients.hosts, "127.0.0.1 localhost graph.microsoft.com login.microsoftonline.com\n"
                + "::1 localhost\n");
        Files.writeString(clients.bundle, Files.readString(Path.of(SYSTEM_BUNDLE)) + "\n" + caPem + "\n"
                + yardstickCaPem);
        Files.writeString(dir.resolve("ca.pem"), caPem);
        secret(dir.resolve("access-token"), token);
        String remote = """
                [%s]
                type = onedrive
                drive_id = %s
                drive_type = documentLibrary
                token = {"access_token":"%s","token_type":"Bearer","refresh_token":"unused","expiry":"%s"}
                """;
        secret(clients.rcloneConfig, String.format(remote, "transfers", transfersDrive, token, rcloneExpiry())
                + "\n" + String.format(remote, "listing", listingDrive, token, rcloneExpiry()));
        return clients;
    }

    /** When the rclone token expires: rclone refreshes only after this, and the run ends long before. */
    private static String rcloneExpiry() {
        return java.time.Instant.now().plus(11, java.time.temporal.ChronoUnit.HOURS)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static void secret(Path file, String content) throws IOException {
        try (OutputStream out = PrivateFiles.newFile(file)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    List<String> rclone(String... args) {
        List<String> command = new ArrayList<>(List.of("rclone", "--config", rcloneConfig.toString(), "-q"));
        command.addAll(List.of(args));
        return inNamespace(command);
    }

    /**
     * Our client in its own JVM with a 64 MiB heap, doing the work {@code times} times; recording a profile into
     * {@code profile} unless null.
     */
    List<String> ours(Path profile, int times, String driveId, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        command.add("-Dbench.times=" + times);
        String extra = System.getProperty("bench.jvm", "").strip(); // options to try, such as another collector
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        if (profile != null) {
            command.addAll(Profile.recordInto(profile));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClientWork.class.getName(),
                dir.toString(), driveId));
        command.addAll(List.of(args));
        return inNamespace(command);
    }

    /**
     * curl PUTs the pieces on one connection, one request per fragment; no {@code Expect: 100-continue}, which
     * would add a round trip to each.
     */
    List<String> curlUpload(String uploadUrl, List<Path> pieces, long size) {
        List<String> command = new ArrayList<>(List.of("curl"));
        long offset = 0;
        for (int i = 0; i < pieces.size(); i++) {
            long length;
            try {
                length = Files.size(pieces.get(i));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (i > 0) {
                command.add("--next");
            }
            command.addAll(List.of("-sSf", "-o", "/dev/null", "-H", "Expect:", "-H", "Content-Range: bytes " + offset
                    + "-" + (offset + length - 1) + "/" + size, "-T", pieces.get(i).toString(), uploadUrl));
            offset += length;
        }
        return inNamespace(command);
    }

    /** curl's download into /dev/null. */
    List<String> curlDownload(String downloadUrl) {
        return inNamespace(List.of("curl", "-sSf", "-o", "/dev/null", downloadUrl));
    }

    /** rclone's download of a remote file into /dev/null ({@code rclone cat}, which streams it). */
    List<String> rcloneDownload(String remoteFile) {
        return inNamespace(List.of("sh", "-c", "exec \"$0\" \"$@\" > /dev/null", "rclone", "--config",
                rcloneConfig.toString(), "-q", "cat", remoteFile));
    }

    private List<String> inNamespace(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$1\" /etc/hosts && mount --bind \"$2\" " + SYSTEM_BUNDLE
                        + " && shift 2 && exec \"$@\"", "namespace", hosts.toString(), bundle.toString()));
        wrapped.addAll(command);
        return wrapped;
    }
}
