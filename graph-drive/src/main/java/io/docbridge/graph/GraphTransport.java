package io.docbridge.graph;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP side of a plugin's Graph clients for one cloud (and extra CA): one OkHttp connection pool and dispatcher,
 * shared by every drive's and every connection's client of the plugin, instead of new ones for each (a thousand
 * drives held a thousand pools). Clients derive from it with their own timeouts and counters, which shares the pool.
 * One set for all the Microsoft plugins, which load this class once, from the Microsoft 365 library plugin they
 * depend on; {@link #closeAll} when that stops.
 */
public final class GraphTransport {
    private static final Map<String, GraphTransport> transports = new ConcurrentHashMap<>();

    /** For Graph calls: the SDK's middleware, minus its retries, plus the tenant's request limit. */
    final OkHttpClient graph;
    /** For upload fragments, on pre-authenticated URLs: no SDK middleware, no token. */
    final OkHttpClient uploads;

    /**
     * HTTP/1.1 only. OkHttp negotiates HTTP/2 through our SSL context with any server that offers it; for a bulk
     * transfer that cost more than twice the time and CPU of HTTP/1.1 (frames handed on from a reader thread, Okio's
     * watchdog on every read; {@code ProtocolBenchmark}, 256 MiB: 0.63 s and 1.22 s of CPU against 0.26 s and 0.47 s).
     * A plugin keeps at most four calls in flight per tenant, which HTTP/1.1's pool serves as well, and the emulator
     * every test runs against speaks HTTP/1.1: whatever Microsoft's servers offer, what runs against them is what is
     * tested.
     */
    private static final List<Protocol> HTTP_1_1 = List.of(Protocol.HTTP_1_1);

    private GraphTransport(GraphConnection connection) {
        Trust trust = Trust.of(connection.extraCaPem());
        TenantRequestLimit limit = new TenantRequestLimit(connection);
        // The SDK's own retry handler (429/503/504, up to 3 times) is off: Retry decides, once; two stacked
        // policies would multiply the attempts.
        RetryHandlerOption noRetries = new RetryHandlerOption((delay, attempt, request, response) -> false, 0, 0);
        // The SDK's telemetry handler sends one client-request-id for every request of a client; Microsoft support
        // looks requests up by it, so each request (and each retry) gets its own, set after that handler runs.
        Interceptor ownRequestId = chain -> chain.proceed(chain.request().newBuilder()
                .header("client-request-id", UUID.randomUUID().toString()).build());
        this.graph = GraphClientFactory.create(new RequestOption[]{noRetries}).addInterceptor(ownRequestId)
                .addInterceptor(limit)
                .sslSocketFactory(trust.sslContext().getSocketFactory(), trust.trustManager())
                // The SDK's factory gives a call 100 s from start to end, body included: a download longer than
                // that (a large file, a slow link, many readers at once) broke part-way. A call is guarded by the
                // time allowed between two reads instead.
                .callTimeout(Duration.ZERO)
                .protocols(HTTP_1_1)
                .addNetworkInterceptor(GraphTransport::socketGuardsReads)
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(DriveClient.PATIENT_ANSWER).build();
        this.uploads = new OkHttpClient.Builder().addInterceptor(limit).protocols(HTTP_1_1)
                .sslSocketFactory(trust.sslContext().getSocketFactory(), trust.trustManager())
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofMinutes(2))
                // No write timeout: Okio's schedules and wakes its watchdog for every write, a quarter of an upload's
                // CPU. A fragment whose bytes stop moving is given up by StalledUploads instead.
                .writeTimeout(Duration.ZERO).build();
    }

    /**
     * Leaves an HTTP/1.1 response body's reads to the socket's own timeout. For each HTTP/1.1 exchange OkHttp sets the
     * client's read timeout twice: on the socket (SO_TIMEOUT, which the kernel enforces on every read) and on Okio's
     * source, whose watchdog thread is scheduled and woken for each 8 KiB read: 131,072 times per gigabyte, 40 % of a
     * download's CPU. The socket timeout alone fails a stalled read just the same. HTTP/2 streams share their socket
     * and have only Okio's timeout: they keep it.
     */
    private static Response socketGuardsReads(Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (response.protocol() == Protocol.HTTP_1_1 && response.body() != null) {
            response.body().source().timeout().clearTimeout();
        }
        return response;
    }

    /** The transport for a connection's cloud and CA: made once, then shared. */
    static GraphTransport of(GraphConnection connection) {
        String key = connection.cloud().graph() + "\n" + connection.tenant().toLowerCase(java.util.Locale.ROOT) + "\n"
                + connection.extraCaPem();
        return transports.computeIfAbsent(key, k -> new GraphTransport(connection));
    }

    /** How many transports there are (tests: a thousand drives of one tenant share one). */
    static int count() {
        return transports.size();
    }

    /** Closes every pool and dispatcher (the library stops); clients made later start new ones. */
    public static void closeAll() {
        for (GraphTransport t : transports.values()) {
            for (OkHttpClient client : new OkHttpClient[]{t.graph, t.uploads}) {
                client.dispatcher().executorService().shutdown();
                client.connectionPool().evictAll();
            }
        }
        transports.clear();
    }
}
