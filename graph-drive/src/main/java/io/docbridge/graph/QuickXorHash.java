package io.docbridge.graph;

import java.util.Base64;

/**
 * OneDrive's quickXorHash, to check an upload against what the service stored (https://learn.microsoft.com/en-us/onedrive/developer/code-snippets/quickxorhash). The
 * emulator has its own copy: a plugin cannot depend on a test server, and the algorithm is a dozen lines.
 */
final class QuickXorHash {
    private final byte[] block = new byte[20];
    private long length;
    private int shift;

    void update(byte[] data, int offset, int count) {
        for (int i = 0; i < count; i++) {
            int value = data[offset + i] & 0xff;
            int index = shift / 8;
            int within = shift % 8;
            block[index] ^= (byte) (value << within);
            if (within > 0) {
                block[(index + 1) % block.length] ^= (byte) (value >>> (8 - within));
            }
            shift = (shift + 11) % 160;
        }
        length += count;
    }

    String digest() {
        byte[] out = block.clone();
        for (int i = 0; i < 8; i++) {
            out[12 + i] ^= (byte) (length >>> (8 * i));
        }
        return Base64.getEncoder().encodeToString(out);
    }
}
