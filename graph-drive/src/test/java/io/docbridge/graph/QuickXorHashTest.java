package io.docbridge.graph;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client's quickXorHash against the published test vectors
 * (https://learn.microsoft.com/en-us/onedrive/developer/code-snippets/quickxorhash), and, for inputs longer than one
 * 160-byte cycle, against the algorithm written out byte by byte, in any chunking.
 */
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
        QuickXorHash hash = new QuickXorHash();
        hash.update(bytes, 0, bytes.length);
        assertEquals(expected, hash.digest());
    }

    /** The algorithm as Microsoft describes it, one byte at a time: the oracle for long inputs. */
    static String byteByByte(byte[] data) {
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

    @Test
    void longInputsInAnyChunkingGiveTheByteByByteResult() {
        Random random = new Random(42);
        for (int length : new int[]{159, 160, 161, 320, 1000, 65_537, 327_680 + 13}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            String expected = byteByByte(data);
            for (int chunk : new int[]{1, 7, 160, 161, 4096, length}) {
                QuickXorHash hash = new QuickXorHash();
                for (int off = 0; off < length; off += chunk) {
                    hash.update(data, off, Math.min(chunk, length - off));
                }
                assertEquals(expected, hash.digest(), "length " + length + " in chunks of " + chunk);
            }
        }
    }
}
