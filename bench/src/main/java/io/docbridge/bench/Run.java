package io.docbridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One client process, timed: its wall time, and the CPU it and its children used, read from this process's
 * {@code cutime}/{@code cstime} in /proc (the kernel adds a child's CPU there when it is waited for), so no timing
 * tool has to be installed; and the CPU this process (the emulator) spent meanwhile serving it.
 */
record Run(int exitCode, double wallSeconds, double cpuSeconds, double serverCpuSeconds, String output) {
    private static final double TICKS = ticksPerSecond();

    static Run of(List<String> command, Path outputFile) throws IOException, InterruptedException {
        double cpuBefore = childCpuSeconds();
        double ownBefore = ownCpuSeconds();
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(outputFile.toFile()).start();
        int exit = process.waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = childCpuSeconds() - cpuBefore;
        double server = ownCpuSeconds() - ownBefore;
        String output = Files.readString(outputFile).strip();
        return new Run(exit, wall, cpu, server, output.length() > 2000 ? output.substring(0, 2000) + "…" : output);
    }

    private static double childCpuSeconds() throws IOException {
        String[] fields = stat();
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / TICKS; // cutime, cstime
    }

    /** This process's own CPU: the emulator's, which serves the client. */
    private static double ownCpuSeconds() throws IOException {
        String[] fields = stat();
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS; // utime, stime
    }

    /** The fields of /proc/self/stat from field 3 (state) on; utime is field 14. */
    private static String[] stat() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static double ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(getconf.getInputStream().readAllBytes()).strip();
            getconf.waitFor();
            return Double.parseDouble(out);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100; // Linux's USER_HZ nearly everywhere
        }
    }
}
