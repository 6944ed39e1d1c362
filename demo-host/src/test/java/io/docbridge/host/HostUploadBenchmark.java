package io.docbridge.host;

import io.docbridge.host.testing.SharePointAdmin;
import io.docbridge.host.testing.TestHost;
import io.docbridge.host.testing.WebClient;
import io.docbridge.tck.Bytes;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A large revision file through the whole demo host into SharePoint Online (emulated), as a browser sends it: a
 * multipart upload that Jetty spools to disk, streamed by the document service to the SharePoint plugin (loaded
 * from its zip by PF4J), in upload-session fragments to the emulator; then downloaded back. Host, plugin and
 * emulator share one JVM, so its heap cap binds them all. Then {@code readers} people download it at once (each
 * the whole file), while the heap in use is sampled:
 * {@code mvn -q install -DskipTests && mvn -q -pl demo-host test-compile exec:exec@benchmark} (1 GiB, 50 readers,
 * both Microsoft plugins and their library loaded, -Xmx256m). Not a test: it measures and prints.
 */
public final class HostUploadBenchmark {
    private HostUploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int readers = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        long size = mib * 1024 * 1024;
        HeapWatch heap = HeapWatch.start();
        Path root = Files.createTempDirectory("docbridge-bench");
        Path plugins = Files.createDirectories(root.resolve("plugins"));
        for (String zip : new String[]{"sharepoint-plugin.zip", "onedrive-plugin.zip", TestHost.M365_LIBRARY}) {
            Files.copy(Path.of("target", "plugins", zip), plugins.resolve(zip));
        }
        try (TestHost host = TestHost.start(root, c -> c.withEmulatedMicrosoft365().withMaxUploadBytes(size * 2))) {
            WebClient admin = host.admin();
            String provider = new SharePointAdmin(admin, host.host().emulator().orElseThrow()).connectAndSave();
            admin.get("/settings/storage");
            admin.post("/settings/storage/" + provider + "/default", Map.of());
            admin.post("/projects", Map.of("code", "BENCH", "name", "Benchmark"));
            String csrf = WebClient.find(admin.get("/documents/new").body(), "name=\"_csrf\" value=\"([^\"]+)\"");

            String boundary = "----docbridge-bench";
            StringBuilder head = new StringBuilder();
            Map<String, String> fields = Map.of("_csrf", csrf, "project", "1", "number", "", "title", "Large",
                    "type", "Drawing", "status", "Draft", "code", "A");
            fields.forEach((k, v) -> head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
                    .append(k).append("\"\r\n\r\n").append(v).append("\r\n"));
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; "
                    + "filename=\"large.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofString(head.toString()),
                    HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> Bytes.stream(3, size)), size),
                    HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
            HttpClient http = HttpClient.newBuilder().cookieHandler(admin.cookies()).build();

            long t0 = System.nanoTime();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(host.url("/documents/new"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(body).build(),
                    HttpResponse.BodyHandlers.ofString());
            double up = (System.nanoTime() - t0) / 1e9;
            if (created.statusCode() != 303) {
                throw new IllegalStateException("upload failed: " + created.statusCode() + "\n" + created.body());
            }
            String doc = admin.follow(created).body();
            String download = WebClient.find(doc, "href=\"(/revisions/\\d+/download)\"");

            t0 = System.nanoTime();
            HttpResponse<java.io.InputStream> back = http.send(HttpRequest.newBuilder(host.url(download)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long read;
            try (var in = back.body()) {
                read = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            double down = (System.nanoTime() - t0) / 1e9;

            System.out.printf("Demo host → SharePoint Online (emulated), %d MiB revision file, heap max %d MiB:%n",
                    mib, Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("  upload (multipart to the host, spooled, streamed to SharePoint): %.1f s, %.0f MiB/s%n",
                    up, mib / up);
            System.out.printf("  download (SharePoint through the host to the browser): %.1f s, %.0f MiB/s (%d bytes)%n",
                    down, mib / down, read);
            if (read != size) {
                throw new IllegalStateException("read " + read + " of " + size + " bytes");
            }
            System.out.printf("  heap in use at most %d MiB through the upload and the download%n", heap.peakMib());

            heap.reset();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(readers);
            List<java.util.concurrent.Future<Double>> each = new java.util.ArrayList<>();
            t0 = System.nanoTime();
            for (int i = 0; i < readers; i++) {
                each.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(host.url(download)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    try (var in = r.body()) {
                        long n = in.transferTo(java.io.OutputStream.nullOutputStream());
                        if (r.statusCode() != 200 || n != size) {
                            throw new IllegalStateException("a reader got " + r.statusCode() + ", " + n + " bytes");
                        }
                    }
                    return (System.nanoTime() - start) / 1e9;
                }));
            }
            List<Double> times = new java.util.ArrayList<>();
            for (var f : each) {
                times.add(f.get());
            }
            double all = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            java.util.Collections.sort(times);
            System.out.printf("  %d readers at once, each the whole file: %.1f s in all, %.0f MiB/s together; "
                    + "each %.1f-%.1f s (median %.1f s); heap in use at most %d MiB%n", readers, all,
                    readers * mib / all, times.get(0), times.get(times.size() - 1), times.get(times.size() / 2),
                    heap.peakMib());
        }
        System.exit(0);
    }

    /** The most heap in use since the last reset, sampled every 50 ms and after every collection's own report. */
    private static final class HeapWatch {
        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();

        static HeapWatch start() {
            HeapWatch watch = new HeapWatch();
            Thread sampler = new Thread(() -> {
                java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
                while (true) {
                    watch.peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            sampler.setDaemon(true);
            sampler.start();
            return watch;
        }

        void reset() {
            peak.set(0);
        }

        long peakMib() {
            return peak.get() >> 20;
        }
    }
}
