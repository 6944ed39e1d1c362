package io.docbridge.emulator.graph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Base64;

/**
 * OneDrive's quickXorHash: each input byte is XORed into a 160-bit block at bit offset (i * 11) mod 160, and the
 * little-endian length is XORed into the last 8 bytes at the end; Base64 of the 20 bytes. The only hash Graph
 * guarantees for every file (https://learn.microsoft.com/en-us/onedrive/developer/code-snippets/quickxorhash).
 *
 * <p>Bytes 160 apart land on the same bits, so whole 160-byte runs are XORed into one 160-byte accumulator as 20
 * longs, and placed in the block when the digest is taken. Feed it as a stream; {@link #copy} keeps a state to go
 * back to (a fragment that broke off). Not thread-safe.
 */
public final class QuickXorHash {
    private static final int RUN = 160;

    private final long[] lanes;
    private long length;

    public QuickXorHash() {
        this(new long[RUN / 8], 0);
    }

    private QuickXorHash(long[] lanes, long length) {
        this.lanes = lanes;
        this.length = length;
    }

    /** The state so far, to continue from later. */
    public QuickXorHash copy() {
        return new QuickXorHash(lanes.clone(), length);
    }

    public void update(byte[] data, int offset, int count) {
        int at = offset;
        int end = offset + count;
        while (at < end && length % RUN != 0) {
            xorByte((int) (length % RUN), data[at++]);
            length++;
        }
        if (end - at >= RUN) {
            LongBuffer words = ByteBuffer.wrap(data, at, end - at).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            int runs = (end - at) / RUN;
            for (int r = 0; r < runs; r++) {
                for (int w = 0; w < lanes.length; w++) {
                    lanes[w] ^= words.get(r * lanes.length + w);
                }
            }
            at += runs * RUN;
            length += (long) runs * RUN;
        }
        while (at < end) {
            xorByte((int) (length % RUN), data[at++]);
            length++;
        }
    }

    private void xorByte(int position, byte value) {
        lanes[position / 8] ^= (value & 0xffL) << (8 * (position % 8));
    }

    public String digest() {
        byte[] block = new byte[RUN / 8];
        for (int position = 0; position < RUN; position++) {
            int value = (int) (lanes[position / 8] >>> (8 * (position % 8))) & 0xff;
            int bit = position * 11 % RUN;
            block[bit / 8] ^= (byte) (value << (bit % 8));
            if (bit % 8 > 0) { // the byte spans two cells of the block; the one after the last wraps to the first
                block[(bit / 8 + 1) % block.length] ^= (byte) (value >>> (8 - bit % 8));
            }
        }
        for (int i = 0; i < 8; i++) {
            block[RUN / 8 - 8 + i] ^= (byte) (length >>> (8 * i));
        }
        return Base64.getEncoder().encodeToString(block);
    }
}
