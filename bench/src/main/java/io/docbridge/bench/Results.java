package io.docbridge.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Measurements by work and tool, and the table they make: min and median of the rounds, and the ratios. */
final class Results {
    static final String[] TOOLS = {"curl", "rclone", "graph-drive", SideBySide.WARM};

    record Measured(double wallSeconds, double cpuSeconds, int requests) {
    }

    private final Map<String, Map<String, List<Measured>>> byWork = new LinkedHashMap<>();

    void add(String work, String tool, Measured measured) {
        byWork.computeIfAbsent(work, w -> new LinkedHashMap<>()).computeIfAbsent(tool, t -> new ArrayList<>())
                .add(measured);
    }

    /** The median wall time of one tool at one piece of work. */
    double median(String work, String tool) {
        return median(byWork.get(work).get(tool).stream().map(Measured::wallSeconds).toList());
    }

    /** The median of the wall times (the upper middle of an even count, so it is always a time that was seen). */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    /**
     * A Markdown table: for each tool "min / median" wall seconds (CPU seconds and requests of the median run), and
     * how many times faster our client is than rclone (in a JVM started for the work, and warm) and what share of
     * curl's speed it reaches, by medians. The warm figures are the second run inside one JVM, so they leave out
     * the JVM's start, which the others include.
     */
    String table(int rounds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%d round(s); seconds as min / median of wall time; CPU and requests of one run%n%n",
                rounds));
        out.append("| work | curl (raw) | rclone | graph-drive, own JVM | graph-drive, warm JVM | own JVM ÷ rclone "
                + "| warm ÷ rclone | warm ÷ curl |\n|---|---|---|---|---|---|---|---|\n");
        for (var work : byWork.entrySet()) {
            out.append("| ").append(work.getKey());
            for (String tool : TOOLS) {
                out.append(" | ").append(cell(work.getValue().get(tool)));
            }
            List<Measured> warm = work.getValue().get(SideBySide.WARM);
            out.append(" | ").append(speed(work.getValue().get("rclone"), work.getValue().get("graph-drive")));
            out.append(" | ").append(speed(work.getValue().get("rclone"), warm));
            out.append(" | ").append(speed(work.getValue().get("curl"), warm));
            out.append(" |\n");
        }
        return out.toString();
    }

    private static String cell(List<Measured> runs) {
        if (runs == null) {
            return "—";
        }
        List<Double> wall = runs.stream().map(Measured::wallSeconds).toList();
        double median = median(wall);
        Measured typical = runs.stream().filter(r -> r.wallSeconds() == median).findFirst().orElseThrow();
        return String.format("%.2f / %.2f s (%.1f s CPU, %d req.)", min(wall), median, typical.cpuSeconds(),
                typical.requests());
    }

    /** How many times faster than {@code peer} our client is, by median wall time: above 1 is faster. */
    private static String speed(List<Measured> peer, List<Measured> ours) {
        if (peer == null || ours == null) {
            return "—";
        }
        return String.format("%.2f×", median(peer.stream().map(Measured::wallSeconds).toList())
                / median(ours.stream().map(Measured::wallSeconds).toList()));
    }
}
