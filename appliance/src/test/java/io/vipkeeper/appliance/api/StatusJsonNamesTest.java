package io.vipkeeper.appliance.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status JSON speaks one style: every key camelCase (map keys made from protocol labels too),
 * every timestamp ISO-8601 UTC to the millisecond. Walks a whole document of a daemon with every
 * section filled in.
 */
class StatusJsonNamesTest {
    private static final Pattern CAMEL = Pattern.compile("[a-z][a-zA-Z0-9]*");
    private static final Pattern LOOKS_LIKE_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT.*");
    private static final Pattern MILLIS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    /** Maps keyed by what the operator named (a fault's source: "interface eth0", "script chk_nginx"). */
    private static final Set<String> NAMED_BY_THE_OPERATOR = Set.of("faults");

    @TempDir
    Path dir;

    @Test
    void everyKeyIsCamelCaseAndEveryTimestampHasMilliseconds() throws Exception {
        try (StatusFixture f = new StatusFixture(dir)) {
            f.lastReload = Optional.of(new ReloadResult(StatusFixture.STARTED.plusSeconds(50), true, List.of(), "web: priority"
                    + " 150→160"));
            f.v2AdvertFrom("web", "198.18.0.2");
            JsonNode doc = new ObjectMapper().readTree(StatusJson.write(f.assembler().snapshot()));
            List<String> bad = new ArrayList<>();
            Set<String> seen = new TreeSet<>();
            walk(doc, "", bad, seen);
            assertEquals(List.of(), bad);
            // The walk saw the sections that carry the keys that were once in another style.
            assertTrue(seen.containsAll(Set.of("reloads.last.at", "vrrpInstances.drops.unknownVrid",
                    "vrrpInstances.drops.authType", "vrrpInstances.mismatches.lastSeen", "virtualServers.realServers.since",
                    "vrrpInstances.lastTransition.at", "startedAt")), seen.toString());
        }
    }

    @Test
    void timestampsAlwaysHaveThreeDigitsOfMilliseconds() {
        assertEquals("2026-11-23T10:00:00.000Z", StatusJson.timestamp(Instant.parse("2026-11-23T10:00:00Z")));
        assertEquals("2026-11-23T10:00:00.123Z", StatusJson.timestamp(Instant.parse("2026-11-23T10:00:00.123456789Z")));
    }

    @Test
    void labelsTurnCamelCaseAndBackForPrometheus() {
        for (String label : List.of("unknown_vrid", "not_unicast_peer", "ttl", "auth_type")) {
            assertTrue(CAMEL.matcher(JsonNames.camel(label)).matches(), label);
            assertEquals(label, JsonNames.snake(JsonNames.camel(label)));
        }
        assertEquals("unknownVrid", JsonNames.camel("unknown_vrid"));
    }

    private static void walk(JsonNode n, String path, List<String> bad, Set<String> seen) {
        if (n.isObject()) {
            boolean named = NAMED_BY_THE_OPERATOR.contains(last(path));
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) n::fields) {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (!named && !CAMEL.matcher(e.getKey()).matches()) {
                    bad.add("key " + p);
                }
                seen.add(p);
                walk(e.getValue(), p, bad, seen);
            }
        } else if (n.isArray()) {
            n.forEach(x -> walk(x, path, bad, seen));
        } else if (n.isTextual() && LOOKS_LIKE_TIME.matcher(n.asText()).matches() && !MILLIS.matcher(n.asText()).matches()) {
            bad.add("timestamp " + path + " = " + n.asText());
        }
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
