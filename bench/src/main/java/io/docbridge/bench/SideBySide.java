package io.docbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docbridge.emulator.M365Emulator;
import io.docbridge.emulator.PrivateFiles;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.identity.Directory;
import io.docbridge.graph.GraphCloud;
import io.docbridge.graph.GraphConnection;
import io.docbridge.graph.MicrosoftSignIn;
import io.docbridge.tck.InMemorySecretStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Our Graph client side by side with rclone (what an administrator would use instead) and curl (the raw limit of one
 * connection), against one standalone emulator, in interleaved rounds; prints one table. Run it with {@code bench/run}
 * (as root: it serves the emulator on port 443 and gives each client a private mount namespace).
 *
 * <p>rclone 1.60 only talks to {@code graph.microsoft.com}, on port 443. Each client therefore runs under
 * {@code unshare --mount} with two bind mounts of its own: a hosts file naming the emulator graph.microsoft.com and
 * login.microsoftonline.com, and a CA bundle that adds the emulator's CA. The machine's own files never change.
 *
 * <p>Work: upload a file through an upload session in 10 MiB fragments; download it; list a drive of N items (rclone
 * walks the folders, our client reads the change feed, as a sync does); list it again after 10 changes (rclone walks
 * again, our client reads one page of changes).
 */
public final class SideBySide {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAGMENT = 10 * 1024 * 1024;
    private static final int FILES_PER_FOLDER = 200;
    /**
     * Where every tool's download goes. A download is what the plugins stream to a browser, and on this VM writing
     * a gigabyte into a file cost 0.3 to 5 s depending on which memory the kernel found for its page cache (the VM
     * hands freed memory back to its host a few seconds after it is freed, and backing it again is slow): into a file,
     * the table measured the VM's memory more than the tools.
     */
    private static final String NOWHERE = "/dev/null";
    /**
     * Our client doing the work twice in one JVM, measured the second time: as in a host that has been running
     * (classes loaded, code compiled, connections open), which is where the plugins' client lives.
     */
    static final String WARM = "graph-drive, warm";

    private final Path work;
    private final M365Emulator emulator;
    private final String token;
    private final HttpClient http;
    private final Results results = new Results();

    private SideBySide(Path work, M365Emulator emulator, String token) {
        this.work = work;
        this.emulator = emulator;
        this.token = token;
        this.http = HttpClient.newBuilder().sslContext(emulator.clientSslContext()).build();
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path work = PrivateFiles.folder(Files.createTempDirectory("docbridge-bench"));
        try (M365Emulator emulator = M365Emulator.builder().port(443).hostName("graph.microsoft.com")
                .hostName("login.microsoftonline.com").dataDir(work.resolve("emulator"))
                .accessTokenLifetime(Duration.ofHours(12)).start()) {
            Directory.Tenant tenant = emulator.directory().addTenant("bench.onmicrosoft.com", "Bench", true);
            Directory.App app = emulator.directory().addApp("Bench", List.of("https://localhost/"), List.of("secret"));
            emulator.directory().grantAppRole(tenant, app, "Sites.ReadWrite.All");
            // rclone 1.60 sends its token with every fragment; Graph "may" refuse that, and the emulator does unless
            // told otherwise.
            emulator.faults().refuseTokenOnUploadUrls(false);
            GraphConnection connection = new GraphConnection(GraphCloud.standIn("Emulator", emulator.baseUrl()),
                    tenant.id(), app.clientId(), "secret", emulator.caPem());
            String token = new MicrosoftSignIn(connection, new InMemorySecretStore(), "bench").appTokens().token();
            new SideBySide(work, emulator, token).run(mib, items, rounds);
        } finally {
            deleteTree(work);
        }
    }

    private void run(int mib, int items, int rounds) throws Exception {
        DriveStore store = emulator.drives();
        DriveStore.Site site = store.addSite("bench.sharepoint.com", "/sites/bench", "Bench", Set.of());
        String transfers = store.addLibrary(site, "Transfers", 1L << 42).id();
        String listing = store.addLibrary(site, "Listing", 1L << 42).id();
        try (TrivialServer yardstick = new TrivialServer(work.resolve("stored.bin"))) {
            run(mib, items, rounds, store, transfers, listing, Clients.prepare(work, emulator.caPem(), token,
                    transfers, listing, yardstick.caPem()), yardstick);
        }
    }

    private void run(int mib, int items, int rounds, DriveStore store, String transfers, String listing,
                     Clients clients, TrivialServer yardstick) throws Exception {
        System.out.printf("Preparing: a %d MiB file and a drive of %,d items...%n", mib, items);
        Path source = work.resolve("source.bin");
        writeRandom(source, (long) mib << 20);
        List<Path> pieces = split(source, work.resolve("pieces"));
        String downloadId = store.commitFile(transfers, store.rootId(transfers), "download.bin",
                stage(store, source), "replace", DriveStore.Actor.SYSTEM).item().id();
        seedListing(store, listing, items);

        String upload = "upload " + mib + " MiB, 10 MiB fragments";
        String trivial = "the same upload to a trivial HTTPS server";
        String storing = "the same upload to a trivial HTTPS server that stores it";
        String download = "download " + mib + " MiB";
        String full = "full listing, " + String.format("%,d", items) + " items";
        String changed = "listing after 10 changes";
        Path cursor = work.resolve("cursor");
        Path warmCursor = work.resolve("warm-cursor");
        for (int round = 1; round <= rounds; round++) {
            System.out.printf("Round %d of %d%n", round, rounds);
            int r = round;
            inTurn(round, upload,
                    new Step("curl", () -> clients.curlUpload(uploadSession(transfers, "up-curl.bin"), pieces,
                            Files.size(source))),
                    new Step("rclone", () -> clients.rclone("copyto", "-I", "--onedrive-chunk-size", "10M",
                            source.toString(), "transfers:up-rclone.bin")),
                    ourStep(profile(upload, r), profile -> clients.ours(profile, 1, transfers, "upload",
                            source.toString(), "up-ours.bin")),
                    new Step(WARM, () -> clients.ours(null, 2, transfers, "upload", source.toString(),
                            "up-ours.bin")));
            inTurn(round, trivial, new Step("curl", () -> clients.curlUpload(yardstick.url(), pieces,
                    Files.size(source))));
            inTurn(round, storing, new Step("curl", () -> clients.curlUpload(yardstick.storingUrl(), pieces,
                    Files.size(source))));
            inTurn(round, download,
                    new Step("curl", () -> clients.curlDownload(downloadUrl(transfers, downloadId))),
                    new Step("rclone", () -> clients.rcloneDownload("transfers:download.bin")),
                    ourStep(profile(download, r), profile -> clients.ours(profile, 1, transfers, "download",
                            downloadId, NOWHERE)),
                    new Step(WARM, () -> clients.ours(null, 2, transfers, "download", downloadId, NOWHERE)));
            // Our client's full listing leaves the cursor that its listing after the changes starts from.
            inTurn(round, full,
                    new Step("rclone", () -> clients.rclone("lsjson", "-R", "listing:")),
                    ourStep(profile(full, r), profile -> clients.ours(profile, 1, listing, "list",
                            cursor.toString())),
                    new Step(WARM, () -> clients.ours(null, 2, listing, "list", warmCursor.toString())));
            String root = store.rootId(listing);
            for (int i = 0; i < 10; i++) {
                store.commitFile(listing, root, "changed " + i + ".txt", stage(store, ("round " + round)
                        .getBytes(StandardCharsets.UTF_8)), "replace", DriveStore.Actor.SYSTEM);
            }
            inTurn(round, changed,
                    new Step("rclone", () -> clients.rclone("lsjson", "-R", "listing:")),
                    ourStep(profile(changed, r), profile -> clients.ours(profile, 1, listing, "changes",
                            cursor.toString())),
                    new Step(WARM, () -> clients.ours(null, 2, listing, "changes", warmCursor.toString())));
        }
        System.out.println();
        System.out.print(results.table(rounds));
        System.out.printf("%nThe emulator's upload path: curl's upload to it takes %.2f× its upload to a trivial HTTPS "
                + "server (same Jetty and TLS, fragments read and dropped), %.2f× its upload to one that writes them "
                + "into a file.%n", results.median(upload, "curl") / results.median(trivial, "curl"),
                results.median(upload, "curl") / results.median(storing, "curl"));
    }

    /**
     * Where our client's profile of a run goes when {@code -Dbench.profile=DIR} is set (null otherwise); the summary
     * is printed after the run. A recording costs a little time, so compare tables made without one.
     */
    private Path profile(String work, int round) throws IOException {
        String dir = System.getProperty("bench.profile", "");
        if (dir.isEmpty()) {
            return null;
        }
        return Files.createDirectories(Path.of(dir).toAbsolutePath()).resolve(work.replaceAll("[^A-Za-z0-9]+", "-")
                + "-" + round + ".jfr");
    }

    /** Our client's step, recording into {@code profile} unless it is null. */
    private static Step ourStep(Path profile, java.util.function.Function<Path, List<String>> command) {
        return new Step("graph-drive", () -> command.apply(profile), profile);
    }

    /** "millis=1234" or "cpuMillis=1234" in seconds. */
    private static double seconds(String field) {
        return Long.parseLong(field.substring(field.indexOf('=') + 1)) / 1000.0;
    }

    /** One tool's run of a piece of work: its command (made just before it runs) and the profile it records, if any. */
    private record Step(String tool, Callable<List<String>> command, Path profile) {
        Step(String tool, Callable<List<String>> command) {
            this(tool, command, null);
        }
    }

    /**
     * Runs the tools one after another, each round starting with a different one, so that none always goes first
     * (warm caches) or last (behind the others' disk writes).
     */
    private void inTurn(int round, String work, Step... steps) throws Exception {
        for (int i = 0; i < steps.length; i++) {
            Step step = steps[(round - 1 + i) % steps.length];
            measure(work, step.tool(), step.command().call(), step.profile());
        }
    }

    private void measure(String work, String tool, List<String> command, Path profile) throws Exception {
        // What the previous run wrote reaches the disk first, so that writing it back does not slow this run.
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        emulator.faults().clearLog();
        Run run = Run.of(command, this.work.resolve("out.txt"));
        int requests = emulator.faults().requests().size();
        if (run.exitCode() != 0) {
            throw new IllegalStateException(tool + " failed at " + work + " (exit " + run.exitCode() + "): "
                    + run.output());
        }
        List<String[]> inJvm = run.output().lines().filter(line -> line.startsWith("millis=")).map(line -> line
                .split(" ")).toList();
        Double inside = inJvm.isEmpty() ? null : seconds(inJvm.get(0)[0]);
        Results.Measured measured = tool.equals(WARM)
                ? new Results.Measured(seconds(inJvm.get(1)[0]), seconds(inJvm.get(1)[1]), requests / 2)
                : new Results.Measured(run.wallSeconds(), run.cpuSeconds(), requests);
        results.add(work, tool, measured);
        System.out.printf("  %-32s %-17s %6.2f s wall, %6.2f s CPU (emulator %5.2f s), %4d requests%s%n", work,
                tool, measured.wallSeconds(), measured.cpuSeconds(), run.serverCpuSeconds(), measured.requests(),
                inside == null || tool.equals(WARM) ? "" : String.format(" (%.2f s inside the JVM)", inside));
        if (profile != null) {
            System.out.print(Profile.summary(profile, 12));
        }
    }

    /** An upload session for curl, made beforehand: curl's time is the fragments alone. */
    private String uploadSession(String driveId, String name) throws Exception {
        return graph("POST", "/drives/" + driveId + "/root:/" + name + ":/createUploadSession",
                "{\"item\":{\"@microsoft.graph.conflictBehavior\":\"replace\"}}").path("uploadUrl").asText();
    }

    /** The file's pre-authenticated download URL, for curl. */
    private String downloadUrl(String driveId, String itemId) throws Exception {
        return graph("GET", "/drives/" + driveId + "/items/" + itemId, null).path("@microsoft.graph.downloadUrl")
                .asText();
    }

    private JsonNode graph(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.graphUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static void seedListing(DriveStore store, String driveId, int items) {
        String root = store.rootId(driveId);
        int made = 0;
        for (int f = 0; made < items; f++) {
            String folder = store.createFolder(driveId, root, "Folder " + f, "fail", DriveStore.Actor.SYSTEM).id();
            made++;
            for (int i = 0; i < FILES_PER_FOLDER - 1 && made < items; i++, made++) {
                store.commitFile(driveId, folder, "file " + i + ".txt", stage(store, ("file " + i)
                        .getBytes(StandardCharsets.UTF_8)), "fail", DriveStore.Actor.SYSTEM);
            }
        }
    }

    private static DriveStore.Staged stage(DriveStore store, byte[] content) {
        return store.stage(new ByteArrayInputStream(content));
    }

    private static DriveStore.Staged stage(DriveStore store, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return store.stage(in);
        }
    }

    /** Random bytes, so nothing on the way can do better than copy them. */
    private static void writeRandom(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long r = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        block[i + b] = (byte) (r >>> (8 * b));
                    }
                }
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    /** The file in 10 MiB pieces, which curl sends one per fragment. */
    private static List<Path> split(Path source, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> pieces = new ArrayList<>();
        byte[] buffer = new byte[FRAGMENT];
        try (InputStream in = Files.newInputStream(source)) {
            for (int n; (n = in.readNBytes(buffer, 0, FRAGMENT)) > 0; ) {
                Path piece = dir.resolve(String.format("piece-%05d", pieces.size()));
                try (OutputStream out = Files.newOutputStream(piece)) {
                    out.write(buffer, 0, n);
                }
                pieces.add(piece);
            }
        }
        return pieces;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
