package io.docbridge.bench;

import io.docbridge.api.ChangePage;
import io.docbridge.api.ConflictBehavior;
import io.docbridge.api.ExternalDrive;
import io.docbridge.graph.DriveClient;
import io.docbridge.graph.GraphCloud;
import io.docbridge.graph.GraphConnection;
import io.docbridge.graph.GraphExternalDrive;
import io.docbridge.graph.GraphTransport;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One piece of work by our client, in its own JVM, as rclone and curl each run in their own process: the same code
 * the plugins run ({@link GraphExternalDrive} over {@link DriveClient}), reaching the emulator under Microsoft's own
 * names through the mount namespace {@link SideBySide} gives it. Prints the time and CPU the work took inside the
 * JVM; with {@code -Dbench.times=2} it does the work twice, and the second time is the client in a warm JVM, as it
 * runs in a host that has been up for a while.
 *
 * <pre>
 * ClientWork DIR DRIVE upload FILE NAME
 * ClientWork DIR DRIVE download ITEM_ID FILE
 * ClientWork DIR DRIVE list CURSOR_OUT          (the whole drive, by its change feed)
 * ClientWork DIR DRIVE changes CURSOR_IN        (what changed since)
 * </pre>
 * DIR holds {@code access-token} and {@code ca.pem}.
 */
public final class ClientWork {

    private ClientWork() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String token = Files.readString(dir.resolve("access-token")).trim();
        GraphConnection connection = new GraphConnection(GraphCloud.standIn("Bench",
                URI.create("https://graph.microsoft.com/")), "bench.onmicrosoft.com", "bench", "unused",
                Files.readString(dir.resolve("ca.pem")));
        DriveClient client = DriveClient.connect(connection, () -> token);
        // the plugins' own page size, unless -Dbench.page says otherwise
        ExternalDrive drive = Integer.getInteger("bench.page") == null ? new GraphExternalDrive(client, args[1])
                : new GraphExternalDrive(client, args[1], Integer.getInteger("bench.page"));
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        int times = Integer.getInteger("bench.times", 1);
        for (int i = 0; i < times; i++) {
            long t0 = System.nanoTime();
            long cpu0 = os.getProcessCpuTime();
            String result = work(drive, args);
            System.out.printf("millis=%d cpuMillis=%d %s%n", (System.nanoTime() - t0) / 1_000_000,
                    (os.getProcessCpuTime() - cpu0) / 1_000_000, result);
        }
        GraphTransport.closeAll();
    }

    private static String work(ExternalDrive drive, String[] args) throws Exception {
        return switch (args[2]) {
            case "upload" -> {
                Path file = Path.of(args[3]);
                try (InputStream in = Files.newInputStream(file)) {
                    drive.upload(drive.root().id(), args[4], in, Files.size(file), ConflictBehavior.REPLACE,
                            Files.getLastModifiedTime(file).toInstant());
                }
                yield "uploaded";
            }
            case "download" -> {
                try (InputStream in = drive.download(args[3]); OutputStream out = Files.newOutputStream(Path.of(args[4]))) {
                    yield in.transferTo(out) + " bytes";
                }
            }
            case "list" -> read(drive, null, Path.of(args[3]));
            case "changes" -> read(drive, Files.readString(Path.of(args[3])), null);
            default -> throw new IllegalArgumentException("unknown work " + args[2]);
        };
    }

    /** Reads the change feed to its end, as a sync does (without an index to write to). */
    private static String read(ExternalDrive drive, String cursor, Path cursorOut) throws Exception {
        long items = 0;
        ChangePage page;
        do {
            page = drive.changes(cursor);
            items += page.changes().size();
            cursor = page.cursor();
        } while (page.hasMore());
        if (cursorOut != null) {
            Files.writeString(cursorOut, cursor);
        }
        return items + " items";
    }
}
