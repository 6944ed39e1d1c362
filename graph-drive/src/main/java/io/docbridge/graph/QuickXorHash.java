package io.docbridge.graph;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * OneDrive's quickXorHash, to check an upload against what the service stored
 * (https://learn.microsoft.com/en-us/onedrive/developer/code-snippets/quickxorhash): byte {@code i} of the input is
 * XORed into a 160-bit block at bit offset {@code (i * 11) mod 160}, and the length into its last 8 bytes.
 *
 * <p>Since {@code 160 * 11} is a multiple of 160, bytes 160 apart land on the same bits. So the input is first folded
 * into 160 bytes with 64-bit XORs (20 per 160 bytes, not one shift-and-XOR per byte), and the 160 folded bytes are
 * spread over the block once, when the digest is asked for. Same result, several times faster on large files.
 *
 * <p>The emulator has its own copy: a plugin cannot depend on a test server. Not thread-safe.
 */
final class QuickXorHash {
    private static final int CYCLE = 160;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The input folded: byte {@code p} is the XOR of every input byte whose position is {@code p} mod 160. */
    private final byte[] fold = new byte[CYCLE];
    private long length;

    void update(byte[] data, int offset, int count) {
        int pos = (int) (length % CYCLE);
        int i = offset;
        int end = offset + count;
        while (pos != 0 && i < end) { // up to the start of the next cycle, byte by byte
            fold[pos] ^= data[i++];
            pos = (pos + 1) % CYCLE;
        }
        for (; end - i >= CYCLE; i += CYCLE) { // whole cycles, eight bytes at a time
            for (int k = 0; k < CYCLE; k += 8) {
                LONGS.set(fold, k, (long) LONGS.get(fold, k) ^ (long) LONGS.get(data, i + k));
            }
        }
        while (i < end) {
            fold[pos++] ^= data[i++];
        }
        length += count;
    }

    String digest() {
        byte[] block = new byte[20];
        for (int p = 0; p < CYCLE; p++) {
            int bit = p * 11 % CYCLE;
            int value = fold[p] & 0xff;
            block[bit / 8] ^= (byte) (value << (bit % 8));
            if (bit % 8 > 0) { // the byte spans two cells; the one after the last wraps to the first
                block[(bit / 8 + 1) % block.length] ^= (byte) (value >>> (8 - bit % 8));
            }
        }
        for (int i = 0; i < 8; i++) {
            block[12 + i] ^= (byte) (length >>> (8 * i));
        }
        return Base64.getEncoder().encodeToString(block);
    }
}
