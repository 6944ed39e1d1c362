package io.docbridge.graph;

import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.Callback;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What HTTP/2 costs a download, against HTTP/1.1: a server offering both over ALPN (Jetty, in this JVM) sends
 * {@code MiB} from memory, and the Graph transport's client reads it as the plugins do (read ahead, into nowhere) once
 * as it is (HTTP/1.1 only) and once allowed HTTP/2, in alternating rounds. Prints wall time and the JVM's CPU time
 * (client and server together; the server's share is the same for both) per round, and the medians.
 * {@code mvn -q install -DskipTests && mvn -q -pl graph-drive test-compile exec:exec@protocol-benchmark}
 * ({@code -Dbenchmark.mib=256 -Dbenchmark.rounds=5}). Not a test: it measures and prints.
 */
public final class ProtocolBenchmark {
    private ProtocolBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ByteBuffer content = ByteBuffer.allocate(mib << 20);
        try (Http2Server server = new Http2Server(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  Callback callback) {
                response.setStatus(200);
                response.getHeaders().put("Content-Length", content.capacity());
                response.write(true, content.duplicate(), callback);
                return true;
            }
        })) {
            String url = server.url();
            GraphConnection connection = server.connection();
            OkHttpClient http11 = GraphTransport.of(connection).graph;
            OkHttpClient http2 = http11.newBuilder().protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)).build();
            Map<String, OkHttpClient> clients = Map.of("HTTP/1.1", http11, "HTTP/2", http2);
            Map<String, List<double[]>> measured = Map.of("HTTP/1.1", new ArrayList<>(), "HTTP/2", new ArrayList<>());
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                for (String name : round % 2 == 0 ? List.of("HTTP/1.1", "HTTP/2") : List.of("HTTP/2", "HTTP/1.1")) {
                    double[] run = download(clients.get(name), url, mib);
                    if (round > 0) {
                        measured.get(name).add(run);
                        System.out.printf("round %d %-8s %.2f s wall, %.2f s CPU%n", round, name, run[0], run[1]);
                    }
                }
            }
            System.out.printf("%n%d MiB, median of %d rounds:%n", mib, rounds);
            for (String name : List.of("HTTP/1.1", "HTTP/2")) {
                System.out.printf("%-8s %.2f s wall, %.2f s CPU%n", name, median(measured.get(name), 0),
                        median(measured.get(name), 1));
            }
        } finally {
            GraphTransport.closeAll();
        }
    }

    /** One download: wall and process CPU seconds. */
    private static double[] download(OkHttpClient client, String url, int mib) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long t0 = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        try (Response response = client.newCall(new Request.Builder().url(url).build()).execute();
             InputStream in = new ReadAhead(response.body().byteStream())) {
            long n = in.transferTo(OutputStream.nullOutputStream());
            if (n != (long) mib << 20) {
                throw new IllegalStateException("got " + n + " bytes over " + response.protocol());
            }
        }
        return new double[]{(System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e9};
    }

    private static double median(List<double[]> runs, int field) {
        List<Double> values = runs.stream().map(r -> r[field]).sorted().toList();
        return values.get(values.size() / 2);
    }
}
