package io.docbridge.emulator.graph;

import io.docbridge.emulator.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * What tests make go wrong, and what they count: throttling (429 or 503 with a whole-second Retry-After, as the real
 * service sends), a connection dropped part-way through a response, added latency; and a log of every Graph request.
 * Thread-safe.
 */
public final class Faults {

    /** One request as the log keeps it. */
    public record Request(String method, String path, String query) {
    }

    private record Rule(Predicate<Request> matches, int status, int retryAfterSeconds, AtomicLong remaining) {
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Request> log = new CopyOnWriteArrayList<>();
    private final AtomicLong dropAfterBytes = new AtomicLong(-1);
    private final AtomicReference<Stall> stallDownload = new AtomicReference<>();
    private final AtomicReference<Stall> stallUpload = new AtomicReference<>();
    private final ThreadLocal<long[]> written = ThreadLocal.withInitial(() -> new long[1]);
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean tokenOnUploadUrlRefused = true;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();

    /** The next {@code count} requests whose path contains {@code pathPart} get {@code status} (429 or 503). */
    public void throttleNext(int count, String pathPart, int status, int retryAfterSeconds) {
        rules.add(new Rule(r -> r.path().contains(pathPart), status, retryAfterSeconds, new AtomicLong(count)));
    }

    /**
     * A share of the requests whose path contains {@code pathPart} get {@code status}, chosen by a seeded random
     * sequence, so a test run repeats exactly. {@link #clear()} stops it.
     */
    public void throttleRate(double share, String pathPart, int status, int retryAfterSeconds, long seed) {
        java.util.Random random = new java.util.Random(seed);
        rules.add(new Rule(r -> {
            synchronized (random) {
                return r.path().contains(pathPart) && random.nextDouble() < share;
            }
        }, status, retryAfterSeconds, new AtomicLong(Long.MAX_VALUE)));
    }

    private final AtomicLong dropUploadAfterBytes = new AtomicLong(-1);
    private final List<LateAnswer> lateAnswers = new CopyOnWriteArrayList<>();

    private record LateAnswer(String method, String pathPart, Duration delay) {
    }

    /**
     * The next request with this method whose path contains {@code pathPart} is carried out at once, but its answer
     * is held back for {@code delay}: Microsoft 365 did the work and the answer came too late for the client.
     */
    public void answerLate(String method, String pathPart, Duration delay) {
        lateAnswers.add(new LateAnswer(method, pathPart, delay));
    }

    /** How long to hold this request's answer back, once, if a {@link #answerLate} rule says so. */
    Duration lateAnswer(HttpServletRequest req) {
        for (LateAnswer late : lateAnswers) {
            if (late.method().equals(req.getMethod()) && req.getRequestURI().contains(late.pathPart())
                    && lateAnswers.remove(late)) {
                return late.delay();
            }
        }
        return Duration.ZERO;
    }

    /** The next upload fragment is cut off after this many of its bytes, as a dropped connection would. */
    public void dropNextUploadAfter(long bytes) {
        dropUploadAfterBytes.set(bytes);
    }

    /**
     * The next upload fragment stops being read for {@code stall} after this many of its bytes, as a server that
     * stops reading would; then it is read on (or finds its connection gone).
     */
    public void stallNextUploadAfter(long bytes, Duration stall) {
        stallUpload.set(new Stall(bytes, stall));
    }

    /** Called as a fragment is read; throws to drop the connection, or waits, when a fault says so. */
    void afterUploadBytes(long readSoFar) throws IOException {
        Stall stall = stallUpload.get();
        if (stall != null && readSoFar >= stall.afterBytes() && stallUpload.compareAndSet(stall, null)) {
            pause(stall.time(), "the stalled upload was interrupted");
        }
        long limit = dropUploadAfterBytes.get();
        if (limit >= 0 && readSoFar >= limit && dropUploadAfterBytes.compareAndSet(limit, -1)) {
            throw new java.io.EOFException("connection dropped by fault injection after " + readSoFar + " bytes");
        }
    }

    /** The next download is cut off after this many bytes, as a dropped connection would. */
    public void dropNextDownloadAfter(long bytes) {
        dropAfterBytes.set(bytes);
    }

    /**
     * The next download stops sending for {@code stall} after this many bytes (what it sent is flushed first), as a
     * connection that hangs without closing would; then it goes on.
     */
    public void stallNextDownloadAfter(long bytes, Duration stall) {
        stallDownload.set(new Stall(bytes, stall));
    }

    private record Stall(long afterBytes, Duration time) {
    }

    private static void pause(Duration time, String interrupted) throws InterruptedIOException {
        try {
            Thread.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(interrupted);
        }
    }

    public void latency(Duration perRequest) {
        this.latency = perRequest;
    }

    /**
     * Whether a fragment sent to an upload URL with an Authorization header is refused with 401 (on by default).
     * Graph says it "may" be; clients written before that was enforced send the token anyway (rclone did until 1.65),
     * so a benchmark of such a client turns the refusal off.
     */
    public void refuseTokenOnUploadUrls(boolean refuse) {
        tokenOnUploadUrlRefused = refuse;
    }

    public boolean tokenOnUploadUrlRefused() {
        return tokenOnUploadUrlRefused;
    }

    public void clear() {
        rules.clear();
        lateAnswers.clear();
        dropAfterBytes.set(-1);
        stallDownload.set(null);
        stallUpload.set(null);
        dropUploadAfterBytes.set(-1);
        latency = Duration.ZERO;
    }

    public List<Request> requests() {
        return new ArrayList<>(log);
    }

    public long count(Predicate<Request> which) {
        return log.stream().filter(which).count();
    }

    public void clearLog() {
        log.clear();
        mostInFlight.set(inFlight.get());
    }

    /** The most Graph requests the emulator was answering at once since the log was last cleared. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** Called as a request arrives and as its answer is done, to keep {@link #mostInFlight()}. */
    void started() {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    /** Logs the request and answers it with a fault if one applies; true if it did. */
    boolean apply(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Request request = new Request(req.getMethod(), req.getRequestURI(), req.getQueryString());
        log.add(request);
        written.get()[0] = 0;
        Duration delay = latency;
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Rule rule : rules) {
            if (rule.matches().test(request) && rule.remaining().getAndDecrement() > 0) {
                resp.setHeader("Retry-After", Integer.toString(rule.retryAfterSeconds()));
                ObjectNode body = Json.object();
                ObjectNode error = body.putObject("error");
                if (rule.status() == 429) {
                    error.put("code", "activityLimitReached").put("message", "The request has been throttled");
                    error.putObject("innerError").put("code", "throttledRequest");
                } else {
                    error.put("code", "serviceNotAvailable").put("message", "The service is temporarily unavailable.");
                }
                Json.write(resp, rule.status(), body, "application/json");
                return true;
            }
        }
        rules.removeIf(r -> r.remaining().get() <= 0);
        return false;
    }

    /** Called as a download streams; throws to drop the connection, or waits, when a fault says so. */
    void afterBytesWritten(HttpServletRequest req, OutputStream out, int n) throws IOException {
        long total = written.get()[0] += n;
        Stall stall = stallDownload.get();
        if (stall != null && total >= stall.afterBytes() && stallDownload.compareAndSet(stall, null)) {
            out.flush();
            pause(stall.time(), "the stalled download was interrupted");
        }
        long limit = dropAfterBytes.get();
        if (limit >= 0 && total >= limit && dropAfterBytes.compareAndSet(limit, -1)) {
            throw new IOException("connection dropped by fault injection after " + total + " bytes");
        }
    }
}
