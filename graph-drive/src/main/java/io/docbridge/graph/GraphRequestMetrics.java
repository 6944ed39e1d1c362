package io.docbridge.graph;

import io.docbridge.api.Metrics;
import okhttp3.Interceptor;
import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * Counts every request to Graph and to upload URLs by method and status ({@code graph.requests}), and times them
 * ({@code graph.request.duration}): an operator sees 429s and 503s (throttling) and time-outs as they happen.
 */
final class GraphRequestMetrics implements Interceptor {
    private final Metrics metrics;

    GraphRequestMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String method = chain.request().method();
        long started = System.nanoTime();
        String status = "failed";
        try {
            Response response = chain.proceed(chain.request());
            status = Integer.toString(response.code());
            return response;
        } catch (InterruptedIOException e) {
            status = "timeout";
            throw e;
        } finally {
            metrics.count("graph.requests", 1, "method", method, "status", status);
            metrics.time("graph.request.duration", Duration.ofNanos(System.nanoTime() - started), "method", method);
        }
    }
}
