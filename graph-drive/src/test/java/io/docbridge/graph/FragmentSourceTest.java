package io.docbridge.graph;

import io.docbridge.api.ErrorKind;
import io.docbridge.api.PluginException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FragmentSourceTest {
    private static final int FRAGMENT = 327_680;

    @Test
    void theNextFragmentIsReadAndHashedWhileTheCurrentOneIsSent() throws Exception {
        byte[] file = new byte[3 * FRAGMENT + 1000];
        new Random(7).nextBytes(file);
        AtomicLong consumed = new AtomicLong();
        var counting = new FilterInputStream(new ByteArrayInputStream(file)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                consumed.addAndGet(Math.max(n, 0));
                return n;
            }
        };
        try (FragmentSource fragments = new FragmentSource(counting, file.length, FRAGMENT)) {
            FragmentSource.Fragment first = fragments.next();
            assertArrayEquals(Arrays.copyOf(file, FRAGMENT), Arrays.copyOf(first.bytes(), first.length()));

            // Nobody has asked for the second fragment yet: it is read while the first one is "being sent".
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (consumed.get() < 2L * FRAGMENT && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(2L * FRAGMENT, consumed.get());

            byte[] back = new byte[file.length];
            int at = first.length();
            System.arraycopy(first.bytes(), 0, back, 0, first.length());
            FragmentSource.Fragment f;
            do {
                f = fragments.next();
                assertEquals(at, f.offset());
                System.arraycopy(f.bytes(), 0, back, at, f.length());
                at += f.length();
            } while (!f.last());
            assertArrayEquals(file, back);
            QuickXorHash whole = new QuickXorHash();
            whole.update(file, 0, file.length);
            assertEquals(whole.digest(), fragments.digest());
        }
    }

    @Test
    void aFileShorterOrLongerThanAnnouncedIsRefusedAndSaysByHowMuch() {
        byte[] file = new byte[2 * FRAGMENT];
        try (FragmentSource shorter = new FragmentSource(new ByteArrayInputStream(file), file.length + 10, FRAGMENT)) {
            shorter.next();
            shorter.next();
            PluginException e = assertThrows(PluginException.class, shorter::next);
            assertEquals(ErrorKind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().contains("ended after " + file.length + " bytes"), e.getMessage());
        }
        try (FragmentSource longer = new FragmentSource(new ByteArrayInputStream(file), file.length - 10, FRAGMENT)) {
            longer.next();
            PluginException e = assertThrows(PluginException.class, longer::next);
            assertTrue(e.getMessage().contains("longer than the " + (file.length - 10) + " bytes"), e.getMessage());
        }
    }
}
