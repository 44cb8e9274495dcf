package io.vipkeeper.appliance.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One node as one sample saw it: the process, the VIPs on its interfaces, and what the daemon
 * says about itself (vipkeeper: /status and /healthz; keepalived: its log).
 *
 * @param node lb1 or lb2
 * @param pid the daemon's pid
 * @param alive whether the process runs
 * @param held the lab's VIPs present on the node's interfaces
 * @param answered whether the daemon's state is known (its API answered, or keepalived's log was read)
 * @param instances its instances by name; empty when not answered
 * @param healthz the /healthz status code, asked only while a MASTER lacks a VIP; -1 otherwise
 * @param reloadsOk reloads that took (keepalived: "Reload complete" lines)
 * @param reloadsFailed reloads refused
 * @param lastReload the last reload's summary and problems; "" when none
 * @param digest the config digest the status shows; null when it shows none
 */
record NodeView(String node, long pid, boolean alive, Set<String> held, boolean answered,
        Map<String, InstanceView> instances, int healthz, long reloadsOk, long reloadsFailed, String lastReload,
        String digest) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One instance.
     *
     * @param state INITIALIZE, BACKUP, MASTER or FAULT
     * @param transitions state changes counted by the daemon
     * @param signature what changes with every transition: the count and the last one's states and reason
     * @param lastAtMillis when the last transition happened (epoch ms; 0 when unknown)
     * @param last the last transition in words
     * @param priority configured priority (-1 when unknown)
     * @param vrid virtual router id (-1 when unknown)
     * @param intervalMs advert interval (-1 when unknown)
     * @param drops received adverts dropped so far, by reason (only the reasons with drops)
     */
    record InstanceView(String state, long transitions, String signature, long lastAtMillis, String last, int priority,
            int vrid, long intervalMs, Map<String, Long> drops) {
        /**
         * Whether a transition happened between {@code this} and {@code later}. The status gives the
         * last one's time on the wall clock, converted from the monotonic clock at every request, so
         * it may move by a millisecond or so between two documents; a different count, states or
         * reason, or a time that moved by more than a sample, is a new transition (a reload that
         * rebuilt a router with a fresh count shows so).
         */
        boolean changedBy(InstanceView later, long sampleMillis) {
            return !signature.equals(later.signature) || Math.abs(later.lastAtMillis - lastAtMillis) > sampleMillis;
        }
    }

    /** Whether an instance reports MASTER without every VIP {@code expected} gives it. */
    boolean masterLacking(ChaosConfig expected) {
        Map<String, ChaosConfig.Instance> conf = expected.instances();
        return instances.entrySet().stream().anyMatch(e -> e.getValue().state().equals("MASTER")
                && conf.containsKey(e.getKey()) && !held.containsAll(conf.get(e.getKey()).vips()));
    }

    /** The same with the /healthz status code. */
    NodeView withHealthz(int code) {
        return new NodeView(node, pid, alive, held, answered, instances, code, reloadsOk, reloadsFailed, lastReload,
                digest);
    }

    /** A vipkeeper node from its /status document (null when the API did not answer). */
    static NodeView vipkeeper(String node, long pid, boolean alive, Set<String> held, String statusJson) {
        if (statusJson == null) {
            return new NodeView(node, pid, alive, held, false, Map.of(), -1, -1, -1, "", null);
        }
        try {
            JsonNode s = JSON.readTree(statusJson);
            Map<String, InstanceView> instances = new LinkedHashMap<>();
            for (JsonNode i : s.path("vrrpInstances")) {
                JsonNode t = i.path("lastTransition");
                String last = t.isObject() ? t.path("from").asText() + " -> " + t.path("to").asText() + " ("
                        + t.path("reason").asText() + ")" : "";
                long at = t.path("at").isTextual() ? java.time.Instant.parse(t.path("at").asText()).toEpochMilli() : 0;
                Map<String, Long> drops = new java.util.TreeMap<>();
                i.path("drops").fields().forEachRemaining(d -> {
                    if (d.getValue().asLong() > 0) {
                        drops.put(d.getKey(), d.getValue().asLong());
                    }
                });
                instances.put(i.path("name").asText(), new InstanceView(i.path("state").asText(),
                        i.path("transitions").asLong(), i.path("transitions").asLong() + " " + last, at, last,
                        i.path("configuredPriority").asInt(-1), i.path("vrid").asInt(-1),
                        i.path("advertIntervalMs").asLong(-1), drops));
            }
            JsonNode r = s.path("reloads");
            JsonNode last = r.path("last");
            String lastReload = last.isObject() ? last.path("summary").asText() + " " + last.path("problems") : "";
            JsonNode digest = s.path("configDigest");
            return new NodeView(node, pid, alive, held, true, instances, -1, r.path("ok").asLong(),
                    r.path("failed").asLong(), lastReload, digest.isTextual() ? digest.asText() : null);
        } catch (IOException | java.time.format.DateTimeParseException e) {
            return new NodeView(node, pid, alive, held, false, Map.of(), -1, -1, -1, "", null);
        }
    }

    /** Follows a keepalived log: instance states and transitions from "(NAME) Entering STATE STATE" lines. */
    static final class KeepalivedLog {
        private static final Pattern ENTERING = Pattern.compile("\\((\\S+)\\) Entering (\\w+) STATE");
        private final Path file;
        private final Map<String, long[]> counts = new LinkedHashMap<>();
        private final Map<String, String> states = new LinkedHashMap<>();
        private final Map<String, String> lastLines = new LinkedHashMap<>();
        private long offset;
        private long reloads;
        private String partial = "";

        KeepalivedLog(Path file) {
            this.file = file;
        }

        Path file() {
            return file;
        }

        /** Reads what was appended and returns the view. */
        NodeView read(String node, long pid, boolean alive, Set<String> held) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                long length = f.length();
                if (length > offset) {
                    byte[] b = new byte[(int) (length - offset)];
                    f.seek(offset);
                    f.readFully(b);
                    offset = length;
                    String text = partial + new String(b, StandardCharsets.UTF_8);
                    int end = text.lastIndexOf('\n');
                    partial = text.substring(end + 1);
                    for (String line : text.substring(0, end + 1).split("\n")) {
                        parse(line);
                    }
                }
            } catch (IOException e) {
                return new NodeView(node, pid, alive, held, false, Map.of(), -1, -1, -1, "", null);
            }
            Map<String, InstanceView> instances = new LinkedHashMap<>();
            states.forEach((name, state) -> instances.put(name, new InstanceView(state, counts.get(name)[0],
                    Long.toString(counts.get(name)[0]), 0, lastLines.get(name), -1, -1, -1, Map.of())));
            return new NodeView(node, pid, alive, held, true, instances, -1, reloads, 0, "", null);
        }

        private void parse(String line) {
            Matcher m = ENTERING.matcher(line);
            if (m.find()) {
                counts.computeIfAbsent(m.group(1), k -> new long[1])[0]++;
                states.put(m.group(1), m.group(2));
                lastLines.put(m.group(1), line.substring(m.start()));
            } else if (line.contains("Reload complete")) {
                reloads++;
            }
        }
    }
}
