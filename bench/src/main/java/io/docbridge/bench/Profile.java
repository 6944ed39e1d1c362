package io.docbridge.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where our client's CPU went in one run: the JDK Flight Recorder's execution samples of its JVM, counted by the
 * method on top of the stack, and by the first of our own methods below it ({@code io.docbridge}), so a table says
 * both what is hot and which of our paths calls it.
 */
final class Profile {
    private Profile() {
    }

    /** The JVM options that record a profile into {@code file}. */
    static List<String> recordInto(Path file) {
        return List.of("-XX:StartFlightRecording=settings=profile,filename=" + file);
    }

    static String summary(Path recording, int lines) throws IOException {
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            top.merge(name(frames.get(0)), 1, Integer::sum);
            frames.stream().map(Profile::name).filter(n -> n.startsWith("io.docbridge.graph")).findFirst()
                    .ifPresent(n -> ours.merge(n, 1, Integer::sum));
        }
        StringBuilder out = new StringBuilder(String.format("    %d samples; hottest methods:%n", samples));
        append(out, top, samples, lines);
        out.append("    by our caller:\n");
        append(out, ours, samples, lines);
        return out.toString();
    }

    private static void append(StringBuilder out, Map<String, Integer> counts, int samples, int lines) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(lines)
                .forEach(e -> out.append(String.format("    %5.1f%%  %s%n", 100.0 * e.getValue() / samples,
                        e.getKey())));
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
