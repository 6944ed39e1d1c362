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
}
