package io.docbridge.emulator.graph;

import java.util.Base64;

/**
 * OneDrive's quickXorHash: each input byte is XORed into a 160-bit block at bit offset (i * 11) mod 160, and the
 * little-endian length is XORed into the last 8 bytes at the end; Base64 of the 20 bytes. The only hash Graph
 * guarantees for every file (https://learn.microsoft.com/en-us/onedrive/developer/code-snippets/quickxorhash). Feed it as a stream; not thread-safe.
 */
public final class QuickXorHash {
    private static final int WIDTH_BITS = 160;
    private static final int SHIFT = 11;

    private final byte[] block = new byte[WIDTH_BITS / 8];
    private long length;
    private int shift;

    public void update(byte[] data, int offset, int count) {
        for (int i = 0; i < count; i++) {
            int bit = shift;
            int value = data[offset + i] & 0xff;
            int index = bit / 8;
            int within = bit % 8;
            // The byte spans at most two cells of the block; the one after the last wraps to the first.
            block[index] ^= (byte) (value << within);
            if (within > 0) {
                block[(index + 1) % block.length] ^= (byte) (value >>> (8 - within));
            }
            shift = (shift + SHIFT) % WIDTH_BITS;
        }
        length += count;
    }

    public String digest() {
        byte[] out = block.clone();
        for (int i = 0; i < 8; i++) {
            out[WIDTH_BITS / 8 - 8 + i] ^= (byte) (length >>> (8 * i));
        }
        return Base64.getEncoder().encodeToString(out);
    }
}
