package io.docbridge.sharepoint;

import io.docbridge.api.ObjectPath;
import io.docbridge.api.StoredObject;
import io.docbridge.tck.Bytes;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.UUID;

/**
 * A large revision file through the SharePoint storage provider and back, against the emulator in this same JVM,
 * so a heap cap binds both: {@code mvn -q -pl sharepoint-plugin test-compile exec:exec@benchmark} (1 GiB,
 * -Xmx96m; set -Dbenchmark.mib=N for another size). Not a test: it measures and prints.
 */
public final class UploadBenchmark {
    private UploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        long size = mib * 1024 * 1024;
        SharePointStorage storage = EmulatedSharePoint.get().storage();

        long t0 = System.nanoTime();
        StoredObject stored = storage.put(ObjectPath.of("BENCH", "DOC-" + UUID.randomUUID(), "A", "large.bin"),
                Bytes.stream(11, size), size, Map.of());
        double up = (System.nanoTime() - t0) / 1e9;

        t0 = System.nanoTime();
        long read;
        try (InputStream in = storage.open(stored.key())) {
            read = in.transferTo(OutputStream.nullOutputStream());
        }
        double down = (System.nanoTime() - t0) / 1e9;

        Runtime rt = Runtime.getRuntime();
        System.out.printf("SharePoint storage (emulated, HTTPS on loopback), %d MiB revision file:%n", mib);
        System.out.printf("  put  %.1f s, %.0f MiB/s (upload session, 10 MiB fragments, quickXorHash checked)%n",
                up, mib / up);
        System.out.printf("  open %.1f s, %.0f MiB/s (%d bytes read back)%n", down, mib / down, read);
        System.out.printf("  heap max %d MiB%n", rt.maxMemory() >> 20);
        if (read != size || stored.size() != size) {
            throw new IllegalStateException("sizes differ: stored " + stored.size() + ", read " + read);
        }
        System.exit(0);
    }
}
