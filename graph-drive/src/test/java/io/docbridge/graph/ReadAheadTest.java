package io.docbridge.graph;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A download read ahead on a thread of its own gives the same bytes, failures and end as the stream itself. */
@org.junit.jupiter.api.Timeout(60) // a mistake here deadlocks rather than fails
class ReadAheadTest {
    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Reader threads alive now; other tests' downloads in this JVM may have some of their own. */
    private static java.util.Set<Thread> readers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(ReadAhead.THREAD_NAME)
                && t.isAlive()).collect(java.util.stream.Collectors.toSet());
    }

    /** Whether a reader started since {@code before} is alive. */
    private static boolean readerRunning(java.util.Set<Thread> before) {
        return readers().stream().anyMatch(t -> !before.contains(t));
    }

    @Test
    void transferToHandsOverWholeChunksNotEightKibPieces() throws IOException {
        byte[] content = random(ReadAhead.DIRECT + 10 * ReadAhead.CHUNK + 123);
        java.util.List<Integer> writes = new java.util.ArrayList<>();
        java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                writes.add(len);
                super.write(b, off, len);
            }
        };
        try (InputStream in = new ReadAhead(new ByteArrayInputStream(content))) {
            assertEquals(content.length, in.transferTo(copy));
        }
        assertArrayEquals(content, copy.toByteArray());
        // InputStream's own transferTo copies 8 KiB at a time: 289 writes here, a gigabyte 131,072.
        assertTrue(writes.size() <= ReadAhead.DIRECT / (64 * 1024) + 12, writes.size() + " writes");
    }

    @Test
    void aDownloadDroppedWithoutClosingStopsItsReaderOnceCollected() throws Exception {
        java.util.Set<Thread> before = readers();
        java.util.concurrent.atomic.AtomicBoolean sourceClosed = new java.util.concurrent.atomic.AtomicBoolean();
        startAndDrop(new InputStream() { // endless: the reader fills its buffers and waits for the consumer
            @Override
            public int read() {
                return 1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 1);
                return len;
            }

            @Override
            public void close() {
                sourceClosed.set(true);
            }
        });
        assertTrue(readerRunning(before));

        long deadline = System.nanoTime() + 20_000_000_000L;
        while ((readerRunning(before) || !sourceClosed.get()) && System.nanoTime() < deadline) {
            System.gc(); // the stream is unreachable; the collector finds it
            Thread.sleep(50);
        }
        // Before, the reader waited for a consumer that was gone, holding its connection, until the JVM ended.
        assertFalse(readerRunning(before), "the reader of a dropped download still runs");
        assertTrue(sourceClosed.get(), "the dropped download's connection was not closed");
    }

    /** Starts reading ahead and drops the stream without closing it, as a careless consumer would. */
    private static void startAndDrop(InputStream source) throws IOException {
        new ReadAhead(source).readNBytes(ReadAhead.DIRECT + 10);
    }

    @Test
    void givesTheSameBytesInReadsOfAnySize() throws IOException {
        for (int size : new int[]{0, 1, ReadAhead.DIRECT, ReadAhead.DIRECT + 1, 5 * ReadAhead.CHUNK + 12_345,
                ReadAhead.DIRECT + ReadAhead.CHUNKS * ReadAhead.CHUNK * 3}) {
            byte[] content = random(size);
            Random sizes = new Random(7);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = new ReadAhead(new ByteArrayInputStream(content))) {
                byte[] buffer = new byte[100_000];
                for (int n; (n = in.read(buffer, 0, 1 + sizes.nextInt(buffer.length))) >= 0; ) {
                    out.write(buffer, 0, n);
                }
                assertEquals(-1, in.read());
            }
            assertArrayEquals(content, out.toByteArray(), "size " + size);
        }
    }

    @Test
    void aSmallFileIsReadWithoutAThread() throws IOException {
        java.util.Set<Thread> before = readers();
        try (InputStream in = new ReadAhead(new ByteArrayInputStream(random(ReadAhead.DIRECT)))) {
            assertEquals(ReadAhead.DIRECT, in.readAllBytes().length);
            assertFalse(readerRunning(before));
        }
    }

    /** A connection that drops part-way fails the consumer after the bytes that arrived, with the same error. */
    @Test
    void theSourcesFailureComesAfterTheBytesBeforeIt() {
        byte[] content = random(3 * ReadAhead.DIRECT);
        IOException dropped = new IOException("connection reset");
        InputStream failing = new InputStream() {
            final InputStream bytes = new ByteArrayInputStream(content);

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = bytes.read(b, off, len);
                if (n < 0) {
                    throw dropped;
                }
                return n;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IOException thrown = assertThrows(IOException.class, () -> {
            try (InputStream in = new ReadAhead(failing)) {
                in.transferTo(out);
            }
        });
        assertSame(dropped, thrown);
        assertArrayEquals(content, out.toByteArray());
    }

    /** Closing part-way ends the thread, also one blocked in a read, and closes the source. */
    @Test
    void closingStopsTheThreadAndClosesTheSource() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        AtomicBoolean sourceClosed = new AtomicBoolean();
        InputStream endless = new InputStream() {
            int served;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public synchronized int read(byte[] b, int off, int len) throws IOException {
                if (served > ReadAhead.DIRECT + ReadAhead.CHUNK) {
                    blocked.countDown();
                    while (!sourceClosed.get()) {
                        try {
                            wait(10);
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        }
                    }
                    throw new IOException("closed");
                }
                Arrays.fill(b, off, off + len, (byte) 1);
                served += len;
                return len;
            }

            @Override
            public void close() {
                sourceClosed.set(true);
            }
        };
        java.util.Set<Thread> before = readers();
        InputStream in = new ReadAhead(endless);
        in.readNBytes(ReadAhead.DIRECT + 10);
        assertTrue(readerRunning(before));
        blocked.await();
        in.close();

        assertTrue(sourceClosed.get());
        assertFalse(readerRunning(before));
        assertThrows(IOException.class, in::read);
    }
}
