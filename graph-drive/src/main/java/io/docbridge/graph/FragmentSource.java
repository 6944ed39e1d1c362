package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The fragments of an upload, each read and hashed on a thread of its own while the one before is being sent:
 * reading a gigabyte and hashing it no longer waits for the network, nor the network for them. Two fragment
 * buffers, one being sent and one being filled; a buffer is filled again only once its fragment was sent (retries
 * included), so {@link #next} must not be called before then. Checks that the input has exactly the size announced.
 */
final class FragmentSource implements AutoCloseable {
    /** One fragment: {@code length} bytes at the start of {@code bytes}, {@code offset} into the file. */
    record Fragment(byte[] bytes, int length, long offset, boolean last) {
    }

    private final InputStream in;
    private final long size;
    private final QuickXorHash hash = new QuickXorHash();
    private final byte[][] buffers;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "graph-upload-read-ahead");
        thread.setDaemon(true);
        return thread;
    });
    private long nextOffset;
    private int nextBuffer;
    private CompletableFuture<Fragment> pending;

    FragmentSource(InputStream in, long size, int fragmentSize) {
        this.in = in;
        this.size = size;
        int length = (int) Math.min(fragmentSize, Math.max(size, 1));
        this.buffers = size > fragmentSize ? new byte[][]{new byte[length], new byte[length]}
                : new byte[][]{new byte[length]}; // one fragment: nothing to read ahead
        this.pending = readNext();
    }

    /** The next fragment, once read and hashed; the one after is read meanwhile. */
    Fragment next() {
        Fragment fragment;
        try {
            fragment = pending.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
        pending = fragment.last() ? null : readNext();
        return fragment;
    }

    /** The quickXorHash of everything read, once the last fragment was. */
    String digest() {
        return hash.digest();
    }

    private CompletableFuture<Fragment> readNext() {
        byte[] buffer = buffers[nextBuffer];
        nextBuffer = (nextBuffer + 1) % buffers.length;
        long offset = nextOffset;
        int length = (int) Math.min(buffer.length, size - offset);
        nextOffset += length;
        return CompletableFuture.supplyAsync(() -> read(buffer, offset, length), reader);
    }

    private Fragment read(byte[] buffer, long offset, int length) {
        readExactly(in, buffer, offset, length, size);
        hash.update(buffer, 0, length);
        return new Fragment(buffer, length, offset, offset + length == size);
    }

    /**
     * Reads the {@code length} bytes at {@code offset} of a file announced as {@code size} bytes into the start of
     * {@code buffer}, refusing a file that ends early or, read to its announced end, goes on.
     */
    static void readExactly(InputStream in, byte[] buffer, long offset, int length, long size) {
        try {
            int read = in.readNBytes(buffer, 0, length);
            if (read < length) {
                throw new PluginException(ErrorKind.INVALID_INPUT, "The file ended after " + (offset + read)
                        + " bytes, not the " + size + " bytes announced; nothing was stored.");
            }
            if (offset + length == size && in.read() >= 0) {
                throw new PluginException(ErrorKind.INVALID_INPUT, "The file is longer than the " + size
                        + " bytes announced; nothing was stored.");
            }
        } catch (IOException e) {
            throw new PluginException(ErrorKind.UNAVAILABLE, "Could not read the file to upload: " + e.getMessage(), e);
        }
    }

    /** Stops reading ahead (an upload given up on) and waits for the reader, so the caller may close the input. */
    @Override
    public void close() {
        reader.shutdownNow();
        try {
            reader.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
