package io.vipkeeper.appliance.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client probing the VIP every millisecond ({@code ping -D -i 0.001} in the client namespace)
 * and recording when replies arrive: the outage is the longest gap between two replies.
 */
final class VipProbe implements AutoCloseable {
    private final Process ping;
    private final List<Double> replies = new ArrayList<>();
    private final Thread reader;

    VipProbe(String clientNs, String vip) throws IOException {
        ping = new ProcessBuilder("ip", "netns", "exec", clientNs, "ping", "-D", "-n", "-i", "0.001", "-W", "1", vip)
                .redirectErrorStream(true).start();
        reader = new Thread(() -> read(ping), "vip-probe");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("[") && line.contains("bytes from")) {
                    double t = Double.parseDouble(line.substring(1, line.indexOf(']')));
                    synchronized (replies) {
                        replies.add(t);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the probe ended
        }
    }

    /** Replies received so far. */
    int replies() {
        synchronized (replies) {
            return replies.size();
        }
    }

    /** The longest gap as {start, end}: the epoch seconds of the replies before and after it. */
    double[] maxGap() {
        synchronized (replies) {
            double[] gap = {Double.NaN, Double.NaN};
            double max = -1;
            for (int i = 1; i < replies.size(); i++) {
                double d = replies.get(i) - replies.get(i - 1);
                if (d > max) {
                    max = d;
                    gap = new double[] {replies.get(i - 1), replies.get(i)};
                }
            }
            return gap;
        }
    }

    /** The longest gap between consecutive replies, in milliseconds. */
    double maxGapMillis() {
        synchronized (replies) {
            double max = 0;
            for (int i = 1; i < replies.size(); i++) {
                max = Math.max(max, replies.get(i) - replies.get(i - 1));
            }
            return max * 1000;
        }
    }

    @Override
    public void close() throws InterruptedException {
        ping.destroy();
        ping.waitFor();
        reader.join(2000);
    }
}
