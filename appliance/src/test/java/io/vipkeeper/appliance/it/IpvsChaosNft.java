package io.vipkeeper.appliance.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * nftables tables in a canonical text the IPVS fault lab compares: read from {@code nft -j list
 * ruleset} and built from the lab's own model in the same form. Chains as "NAME: TYPE HOOK PRIO
 * POLICY", rules as "COMMENT: STATEMENT ; STATEMENT", every match's right side as a sorted set (nft
 * prints a one-element set as a plain value), both sorted, so only meaning is compared.
 */
final class IpvsChaosNft {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IpvsChaosNft() {
    }

    /** A table in canonical form from its chains and rules (each in canonical form already). */
    static String table(List<String> chains, List<String> rules) {
        List<String> c = new ArrayList<>(chains);
        List<String> r = new ArrayList<>(rules);
        c.sort(null);
        r.sort(null);
        return "chains " + c + " rules " + r;
    }

    /** A base chain in canonical form. */
    static String chain(String name, String type, String hook, int prio, String policy) {
        return name + ": " + type + " " + hook + " " + prio + " " + policy;
    }

    /** A rule of {@code chain} in canonical form. */
    static String rule(String chain, String comment, String... statements) {
        return chain + "/" + comment + ": " + String.join(" ; ", statements);
    }

    /** A match statement in canonical form: {@code LEFT OP {SORTED, ELEMENTS}}. */
    static String match(String left, String op, List<String> elements) {
        List<String> e = new ArrayList<>(elements);
        e.sort(null);
        return left + " " + op + " {" + String.join(", ", e) + "}";
    }

    /** Every table of an {@code nft -j list ruleset} document by "FAMILY NAME", in canonical form. */
    static SortedMap<String, String> tables(String json) throws java.io.IOException {
        Map<String, List<String>> chains = new TreeMap<>();
        Map<String, List<String>> rules = new TreeMap<>();
        for (JsonNode item : JSON.readTree(json).path("nftables")) {
            if (item.has("table")) {
                JsonNode t = item.get("table");
                String name = t.path("family").asText() + " " + t.path("name").asText();
                chains.putIfAbsent(name, new ArrayList<>());
                rules.putIfAbsent(name, new ArrayList<>());
            } else if (item.has("chain")) {
                JsonNode c = item.get("chain");
                String table = c.path("family").asText() + " " + c.path("table").asText();
                chains.computeIfAbsent(table, k -> new ArrayList<>()).add(c.has("hook")
                        ? chain(c.path("name").asText(), c.path("type").asText(), c.path("hook").asText(),
                                c.path("prio").asInt(), c.path("policy").asText())
                        : c.path("name").asText());
            } else if (item.has("rule")) {
                JsonNode r = item.get("rule");
                String table = r.path("family").asText() + " " + r.path("table").asText();
                List<String> statements = new ArrayList<>();
                for (JsonNode e : r.path("expr")) {
                    statements.add(statement(e));
                }
                rules.computeIfAbsent(table, k -> new ArrayList<>()).add(rule(r.path("chain").asText(),
                        r.path("comment").asText(""), statements.toArray(String[]::new)));
            }
        }
        SortedMap<String, String> out = new TreeMap<>();
        chains.forEach((table, c) -> out.put(table, table(c, rules.getOrDefault(table, List.of()))));
        return out;
    }

    private static String statement(JsonNode e) {
        if (e.has("match")) {
            JsonNode m = e.get("match");
            JsonNode right = m.path("right");
            List<String> elements = new ArrayList<>();
            if (right.has("set")) {
                right.get("set").forEach(x -> elements.add(value(x)));
            } else {
                elements.add(value(right));
            }
            return match(value(m.path("left")), m.path("op").asText(), elements);
        }
        // masquerade, accept, counter, ...: the statement's name.
        return e.fieldNames().hasNext() ? e.fieldNames().next() : e.toString();
    }

    private static String value(JsonNode v) {
        if (v.isTextual() || v.isNumber()) {
            return v.asText();
        }
        if (v.has("payload")) {
            return v.get("payload").path("protocol").asText() + " " + v.get("payload").path("field").asText();
        }
        if (v.has("ct")) {
            return "ct " + v.get("ct").path("key").asText();
        }
        if (v.has("concat")) {
            List<String> parts = new ArrayList<>();
            v.get("concat").forEach(p -> parts.add(value(p)));
            return String.join(" . ", parts);
        }
        return v.toString();
    }
}
