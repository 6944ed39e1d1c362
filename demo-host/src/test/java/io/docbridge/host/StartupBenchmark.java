package io.docbridge.host;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How long the demo host takes to start, as an operator starts it ({@code java -jar docbridge-host.jar}, offline,
 * with the built plugin archives): on a fresh data folder (the plugins folder holds only the archives, so PF4J
 * expands them) and again on the same folders (a restart). The host listens before it starts its plugins: the sign-in
 * page answers while they start. Prints the time to the first page (the sign-in page) and the resident memory then,
 * the time until {@code /readyz} says "plugins started", and until it answers 200 (the offline demo's emulator, which
 * starts once the plugins have, is up too); the minimum and median of the rounds. Then the same with the class-data
 * archive the build makes ({@code target/docbridge-host.jsa}, see {@link ClassDataTraining}), as the README starts the
 * demo.
 *
 * <pre>mvn -q package -DskipTests && mvn -q -pl demo-host exec:exec@startup-benchmark -Dbenchmark.rounds=3</pre>
 */
public final class StartupBenchmark {
    private record Start(long firstPageMillis, long pluginsMillis, long readyMillis, long rssMegabytes) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path jar = Path.of("target/docbridge-host.jar").toAbsolutePath();
        Path builtPlugins = Path.of("target/plugins").toAbsolutePath();
        List<Start> fresh = new ArrayList<>();
        List<Start> restart = new ArrayList<>();
        List<Start> freshShared = new ArrayList<>();
        List<Start> restartShared = new ArrayList<>();
        Path archive = Path.of("target/docbridge-host.jsa").toAbsolutePath();
        for (int round = 0; round < rounds; round++) {
            Path root = Files.createTempDirectory("startup-benchmark");
            Path plugins = plugins(root, builtPlugins);
            fresh.add(start(jar, root.resolve("data"), plugins));
            restart.add(start(jar, root.resolve("data"), plugins));
            delete(root);
            root = Files.createTempDirectory("startup-benchmark");
            plugins = plugins(root, builtPlugins);
            freshShared.add(start(jar, root.resolve("data"), plugins, "-Xshare:on", "-XX:SharedArchiveFile=" + archive));
            restartShared.add(start(jar, root.resolve("data"), plugins, "-Xshare:on",
                    "-XX:SharedArchiveFile=" + archive));
            delete(root);
        }
        System.out.printf("%nHost start-up (java -jar, offline, %s), %d rounds%n", pluginNames(builtPlugins), rounds);
        System.out.println("| start | first page, min | median | plugins STARTED, median | ready (emulator up too), "
                + "median | RSS at first page, median |");
        System.out.println("|---|---|---|---|---|---|");
        row("fresh data folder", fresh);
        row("restart", restart);
        row("fresh data folder, class-data archive", freshShared);
        row("restart, class-data archive", restartShared);
    }

    /** A plugins folder under root with the built archives. */
    private static Path plugins(Path root, Path builtPlugins) throws IOException {
        return ClassDataTraining.copyPluginArchives(builtPlugins, root.resolve("plugins"));
    }

    private static void row(String what, List<Start> starts) {
        List<Long> times = starts.stream().map(Start::firstPageMillis).sorted().toList();
        List<Long> plugins = starts.stream().map(Start::pluginsMillis).sorted().toList();
        List<Long> ready = starts.stream().map(Start::readyMillis).sorted().toList();
        List<Long> rss = starts.stream().map(Start::rssMegabytes).sorted().toList();
        System.out.printf("| %s | %.1f s | %.1f s | %.1f s | %.1f s | %d MB |%n", what, times.get(0) / 1000.0,
                times.get(times.size() / 2) / 1000.0, plugins.get(plugins.size() / 2) / 1000.0,
                ready.get(ready.size() / 2) / 1000.0, rss.get(rss.size() / 2));
    }

    private static String pluginNames(Path builtPlugins) throws IOException {
        try (Stream<Path> zips = Files.list(builtPlugins)) {
            return String.join(", ", zips.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".zip"))
                    .sorted().toList());
        }
    }

    private static Start start(Path jar, Path data, Path plugins, String... jvmOptions) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar.toString(), "--port", Integer.toString(port), "--data", data.toString(),
                "--plugins", plugins.toString(), "--emulator-port", "0"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DOCBRIDGE_ADMIN_PASSWORD", "startup benchmark password");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest login = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login")).build();
        long started = System.nanoTime();
        Process process = builder.start();
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the host exited with " + process.exitValue());
                }
                try {
                    if (http.send(login, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() - started > Duration.ofMinutes(2).toNanos()) {
                    throw new IllegalStateException("the host did not answer within two minutes");
                }
                Thread.sleep(10);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            long rss = rssMegabytes(process.pid());
            HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/readyz")).build();
            long pluginsMillis = -1;
            while (true) {
                HttpResponse<String> ready = http.send(readyz, HttpResponse.BodyHandlers.ofString());
                if (pluginsMillis < 0 && ready.body().contains("plugins started")) {
                    pluginsMillis = (System.nanoTime() - started) / 1_000_000;
                }
                if (ready.statusCode() == 200) {
                    break;
                }
                if (System.nanoTime() - started > Duration.ofMinutes(2).toNanos()) {
                    throw new IllegalStateException("the host was not ready within two minutes");
                }
                Thread.sleep(10);
            }
            return new Start(millis, pluginsMillis, (System.nanoTime() - started) / 1_000_000, rss);
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    /** Resident memory of a process, from Linux's /proc. */
    private static long rssMegabytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
