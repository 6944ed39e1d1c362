package io.docbridge.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.docbridge.emulator.graph.DriveStore;
import io.docbridge.emulator.identity.Directory;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * How fast the emulator answers, measured over real HTTPS on loopback with the JDK's HTTP client:
 * metadata requests (GET an item), and a large file up through an upload session and back down. Run it with a small
 * heap to see that content streams: {@code java -Xmx64m -cp m365-emulator/target/m365-emulator.jar
 * io.docbridge.emulator.Benchmark [MiB]}.
 */
public final class Benchmark {
    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        Path data = Files.createTempDirectory("emulator-bench");
        try (M365Emulator emulator = M365Emulator.builder().dataDir(data).start()) {
            Directory.Tenant tenant = emulator.directory().addTenant("bench.onmicrosoft.com", "Bench", true);
            Directory.App app = emulator.directory().addApp("Bench", List.of("https://localhost/"), List.of("secret"));
            emulator.directory().grantAppRole(tenant, app, "Sites.ReadWrite.All");
            DriveStore.Site site = emulator.drives().addSite("bench.sharepoint.com", "/sites/b", "Bench", Set.of());
            String drive = emulator.drives().addLibrary(site, "Documents", Long.MAX_VALUE / 2).id();
            HttpClient http = HttpClient.newBuilder().sslContext(emulator.clientSslContext()).build();
            String token = token(http, emulator, tenant, app);

            String itemUrl = emulator.graphUrl() + "/drives/" + drive + "/root";
            for (int i = 0; i < 2000; i++) { // warm up the JIT and the connection
                get(http, itemUrl, token);
            }
            int n = 5000;
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                get(http, itemUrl, token);
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            System.out.printf("metadata GET, %d sequential requests over HTTPS: median %.3f ms, p99 %.3f ms%n", n,
                    nanos[n / 2] / 1e6, nanos[n * 99 / 100] / 1e6);

            long size = mib * 1024 * 1024;
            long chunk = 320L * 1024 * 32; // 10 MiB, a multiple of 320 KiB
            HttpRequest create = HttpRequest.newBuilder(URI.create(emulator.graphUrl() + "/drives/" + drive
                            + "/root:/big.bin:/createUploadSession")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            String uploadUrl = Json.MAPPER.readTree(http.send(create, HttpResponse.BodyHandlers.ofString()).body())
                    .path("uploadUrl").asText();
            long t0 = System.nanoTime();
            String itemId = null;
            for (long start = 0; start < size; start += chunk) {
                long length = Math.min(chunk, size - start);
                HttpRequest put = HttpRequest.newBuilder(URI.create(uploadUrl))
                        .header("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + size)
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                                () -> pattern(length)), length)).build();
                HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 300) {
                    throw new IllegalStateException("upload failed: " + r.statusCode() + " " + r.body());
                }
                if (r.statusCode() == 200 || r.statusCode() == 201) {
                    itemId = Json.MAPPER.readTree(r.body()).path("id").asText();
                }
            }
            double upSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("upload session, %d MiB in 10 MiB fragments: %.1f s, %.0f MiB/s%n", mib, upSeconds,
                    mib / upSeconds);

            HttpRequest content = HttpRequest.newBuilder(URI.create(emulator.graphUrl() + "/drives/" + drive
                    + "/items/" + itemId + "/content")).header("Authorization", "Bearer " + token).build();
            HttpClient following = HttpClient.newBuilder().sslContext(emulator.clientSslContext())
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            t0 = System.nanoTime();
            long received;
            try (InputStream in = following.send(content, HttpResponse.BodyHandlers.ofInputStream()).body()) {
                received = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            double downSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("download, %d MiB: %.1f s, %.0f MiB/s (%d bytes)%n", mib, downSeconds,
                    mib / downSeconds, received);
            Runtime rt = Runtime.getRuntime();
            System.out.printf("heap: max %d MiB, in use after the run %d MiB%n", rt.maxMemory() >> 20,
                    (rt.totalMemory() - rt.freeMemory()) >> 20);
        }
    }

    private static String token(HttpClient http, M365Emulator emulator, Directory.Tenant tenant, Directory.App app)
            throws Exception {
        String form = "grant_type=client_credentials&client_id=" + app.clientId() + "&client_secret=secret&scope="
                + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.authority(tenant.id()) + "oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        JsonNode body = Json.MAPPER.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        return body.path("access_token").asText();
    }

    private static void get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization",
                "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET failed: " + r.statusCode());
        }
    }

    /** {@code length} bytes generated as read, never held in memory. */
    private static InputStream pattern(long length) {
        return new InputStream() {
            long left = length;

            @Override
            public int read() {
                return left-- > 0 ? (int) (left & 0xff) : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 0x5a);
                left -= n;
                return n;
            }
        };
    }
}
