package io.docbridge.emulator;

import io.docbridge.emulator.graph.QuickXorHash;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The published test vectors (of the algorithm Microsoft publishes: https://learn.microsoft.com/en-us/onedrive/developer/code-snippets/quickxorhash), fed whole and byte by byte. */
class QuickXorHashTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "b64:|AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "b64:Sg==|SgAAAAAAAAAAAAAAAQAAAAAAAAA=",
            "b64:tbQ=|taAFAAAAAAAAAAAAAgAAAAAAAAA=",
            "b64:2fuxhBJXtpWFe8dOfdGeHw==|O9tHLAghgSvYohKFyMMxnNCHaHg=",
            "a|YQAAAAAAAAAAAAAAAQAAAAAAAAA=",
            "abc|YRDDGAAAAAAAAAAAAwAAAAAAAAA=",
            "hello world|aCgDG9jwBhDc4Q1yawMZAAAAAAA=",
            "The quick brown fox jumps over the lazy dog|bMSlbysmxJL6S75XwfMcQZOpcr4="})
    void matchesThePublishedVectors(String input, String expected) {
        byte[] bytes = input.startsWith("b64:") ? Base64.getDecoder().decode(input.substring(4))
                : input.getBytes(StandardCharsets.US_ASCII);

        QuickXorHash whole = new QuickXorHash();
        whole.update(bytes, 0, bytes.length);
        QuickXorHash piecewise = new QuickXorHash();
        for (byte b : bytes) {
            piecewise.update(new byte[]{b}, 0, 1);
        }

        assertEquals(expected, whole.digest());
        assertEquals(expected, piecewise.digest());
    }

    @org.junit.jupiter.api.Test
    void longInputsInAnyChunkingAndACopyGiveTheSameAsWhole() {
        java.util.Random random = new java.util.Random(7);
        byte[] data = new byte[100_003];
        random.nextBytes(data);
        QuickXorHash whole = new QuickXorHash();
        whole.update(data, 0, data.length);
        for (int chunk : new int[]{1, 159, 160, 333, 65_536}) {
            QuickXorHash pieces = new QuickXorHash();
            QuickXorHash saved = null;
            int savedAt = 0;
            for (int off = 0; off < data.length; off += chunk) {
                if (saved == null && off > data.length / 2) {
                    saved = pieces.copy(); // the state before a fragment that will break off
                    savedAt = off;
                }
                pieces.update(data, off, Math.min(chunk, data.length - off));
            }
            assertEquals(whole.digest(), pieces.digest(), "chunks of " + chunk);
            // Going back to the copy and feeding the rest again, as a resumed upload does, gives the same hash.
            saved.update(data, savedAt, data.length - savedAt);
            assertEquals(whole.digest(), saved.digest(), "resumed from a copy, chunks of " + chunk);
        }
        assertEquals(reference(data), whole.digest());
    }

    /** The algorithm byte by byte, as described, for inputs longer than the published vectors. */
    static String reference(byte[] data) {
        byte[] block = new byte[20];
        int shift = 0;
        for (byte b : data) {
            int value = b & 0xff;
            block[shift / 8] ^= (byte) (value << (shift % 8));
            if (shift % 8 > 0) {
                block[(shift / 8 + 1) % 20] ^= (byte) (value >>> (8 - shift % 8));
            }
            shift = (shift + 11) % 160;
        }
        for (int i = 0; i < 8; i++) {
            block[12 + i] ^= (byte) ((long) data.length >>> (8 * i));
        }
        return Base64.getEncoder().encodeToString(block);
    }
}
