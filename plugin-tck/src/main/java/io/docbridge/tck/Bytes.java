package io.docbridge.tck;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content for tests that must not live in memory: a repeatable pseudo-random stream and its digest. */
public final class Bytes {
    private Bytes() {
    }

    /** {@code size} pseudo-random bytes from a seed, generated as read; never held in memory. */
    public static InputStream stream(long seed, long size) {
        return new InputStream() {
            private long state = seed ^ 0x5DEECE66DL;
            private long remaining = size;

            @Override
            public int read() {
                if (remaining == 0) {
                    return -1;
                }
                remaining--;
                state = state * 6364136223846793005L + 1442695040888963407L;
                return (int) (state >>> 56) & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (remaining == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, remaining);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) read();
                }
                return n;
            }
        };
    }

    /** The hex SHA-256 of everything left in the stream; reads it to the end and closes it. */
    public static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
