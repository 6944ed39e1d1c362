package io.docbridge.emulator.graph;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Appends one upload fragment to its session's file and hashes it on a thread of its own, while the request thread
 * goes on reading (and decrypting) the next bytes: copying a gigabyte into the file system costs about as much as
 * receiving it, and the two overlap instead of taking turns. A few buffers go round between the two threads, so
 * memory stays bounded whatever the fragment's size. {@link #finish} returns once every byte is in the file.
 */
final class FragmentWriter implements AutoCloseable {
    private static final int BUFFER = 256 * 1024;
    private static final int BUFFERS = 4;

    /** A filled buffer; an empty one ends the fragment. */
    private final BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
    private final FileChannel file;
    private final QuickXorHash hash;
    private final Thread writer;
    private volatile IOException failure;
    private ByteBuffer current;

    FragmentWriter(Path path, QuickXorHash hash) throws IOException {
        this.file = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.hash = hash;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(ByteBuffer.allocate(BUFFER));
        }
        this.writer = new Thread(this::writeAll, "emulator-fragment-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** A buffer with room to read into (position: where to put the next bytes). */
    ByteBuffer buffer() throws IOException {
        if (current == null) {
            current = take(free);
        }
        return current;
    }

    /** Marks {@code n} more bytes of {@link #buffer} read; a full buffer goes to the writer. */
    void wrote(int n) throws IOException {
        current.position(current.position() + n);
        if (!current.hasRemaining()) {
            handOver();
        }
    }

    /** Waits until every byte is in the file (and hashed); throws what went wrong writing. */
    void finish() throws IOException {
        if (current != null && current.position() > 0) {
            handOver();
        }
        put(ByteBuffer.allocate(0));
        join();
        if (failure != null) {
            throw failure;
        }
    }

    private void handOver() throws IOException {
        if (failure != null) {
            throw failure;
        }
        current.flip();
        put(current);
        current = null;
    }

    private void writeAll() {
        try {
            for (ByteBuffer b; (b = filled.take()).hasRemaining(); ) {
                hash.update(b.array(), 0, b.limit());
                while (b.hasRemaining()) {
                    file.write(b);
                }
                b.clear();
                free.put(b);
            }
        } catch (IOException e) {
            failure = e;
            free.add(ByteBuffer.allocate(BUFFER)); // let a reader waiting for a buffer see the failure
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("the fragment was abandoned");
        }
    }

    private void put(ByteBuffer b) throws IOException {
        try {
            filled.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    private static ByteBuffer take(BlockingQueue<ByteBuffer> queue) throws IOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    private void join() throws IOException {
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    /** Stops the writer if the fragment broke off (what was written is truncated by the caller) and closes the file. */
    @Override
    public void close() throws IOException {
        writer.interrupt();
        join();
        file.close();
    }
}
