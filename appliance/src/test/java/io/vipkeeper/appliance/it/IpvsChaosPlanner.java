package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.it.IpvsChaosOp.NftEdit;
import io.vipkeeper.appliance.it.IpvsChaosWindows.Bound;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Draws the IPVS fault lab's operations from {@code java.util.Random(seed)} and the lab's own
 * model of what it controls ({@link IpvsChaosState}), never from what the daemon or the kernel
 * does, so a seed always gives the same sequence and {@code -Dvipkeeper.chaos.seed=N} replays it.
 */
final class IpvsChaosPlanner {
    /** An operation with its number and the pause before it. */
    record Planned(int number, long pauseMillis, IpvsChaosOp op) {
    }

    private static final Map<String, Integer> WEIGHTS = weights();
    private final Random random;
    private final List<String> kinds = new ArrayList<>();
    private IpvsChaosState state;
    private int number;
    /** Foreign services and rules the lab added so far (their numbers). */
    private int foreignServices;
    private int foreignRules = 2;

    IpvsChaosPlanner(long seed, IpvsChaosState initial) {
        this.random = new Random(seed);
        this.state = initial;
        WEIGHTS.forEach((k, w) -> {
            for (int i = 0; i < w; i++) {
                kinds.add(k);
            }
        });
    }

    private static Map<String, Integer> weights() {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put("ipvs", 22);
        w.put("ipvs-foreign", 5);
        w.put("nft", 11);
        w.put("nft-foreign", 4);
        w.put("health", 13);
        w.put("reload", 20);
        w.put("broken", 9);
        w.put("hup", 4);
        w.put("usr", 3);
        return w;
    }

    /** The next operation. */
    Planned next() {
        long pause = random.nextInt(1500);
        String kind = kinds.get(random.nextInt(kinds.size()));
        IpvsChaosOp op = switch (kind) {
            case "ipvs" -> handIpvs();
            case "ipvs-foreign" -> foreignIpvs();
            case "nft" -> new IpvsChaosOp.HandNft(NftEdit.values()[random.nextInt(NftEdit.values().length)],
                    IpvsChaosExpected.OWN_TABLE, 0, state);
            case "nft-foreign" -> foreignNft();
            case "health" -> health();
            case "reload" -> reload();
            case "broken" -> new IpvsChaosOp.BrokenReload(pick(IpvsChaosBrokenFiles.VARIANTS), random.nextDouble(), state);
            case "hup" -> new IpvsChaosOp.HupStorm(2 + random.nextInt(5), random.nextInt(21), state);
            case "usr" -> new IpvsChaosOp.UserSignal(random.nextBoolean() ? "USR1" : "USR2", state);
            default -> throw new IllegalStateException(kind);
        };
        state = op.after();
        return new Planned(++number, pause, op);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    /** An edit of one of vipkeeper's services with ipvsadm. */
    private IpvsChaosOp handIpvs() {
        IpvsChaosConfig c = state.config();
        String service = pick(c.services());
        String id = IpvsChaosConfig.serviceId(service);
        String fwd = IpvsChaosConfig.forwarding(service);
        String rs = IpvsChaosConfig.realServer(service, pick(new ArrayList<>(c.realServers(service).keySet())));
        String svcElement = IpvsChaosState.serviceElement(id);
        return switch (random.nextInt(5)) {
            case 0 -> new IpvsChaosOp.HandIpvs("ipvs-delete-service", List.of("-D " + id), List.of(svcElement,
                    IpvsChaosState.realServerElement(id, "*")), Bound.RUN, state);
            case 1 -> new IpvsChaosOp.HandIpvs("ipvs-weight", List.of("-e " + id + " -r " + rs + " " + fwd + " -w "
                    + random.nextInt(10)), List.of(IpvsChaosState.realServerElement(id, rs)), Bound.RUN, state);
            case 2 -> {
                // Addresses of no configured server as well as configured ones (which may be down).
                List<Integer> pool = switch (service) {
                    case IpvsChaosConfig.WEB -> List.of(11, 12, 13, 30, 31);
                    case IpvsChaosConfig.MARK -> List.of(21, 22, 23, 33);
                    default -> List.of(12, 34);
                };
                String added = IpvsChaosConfig.realServer(service, pick(pool));
                List<String> elements = new ArrayList<>(List.of(IpvsChaosState.realServerElement(id, added)));
                if (service.equals(IpvsChaosConfig.WEB)) {
                    // The masquerade rule covers every NAT real server in the kernel while it drains.
                    elements.add(IpvsChaosExpected.tableElement(IpvsChaosExpected.OWN_TABLE));
                }
                yield new IpvsChaosOp.HandIpvs("ipvs-add-real-server", List.of("-a " + id + " -r " + added + " " + fwd + " -w "
                        + (1 + random.nextInt(5))), elements, Bound.HAND_DRAIN, state);
            }
            case 3 -> new IpvsChaosOp.HandIpvs("ipvs-delete-real-server", List.of("-d " + id + " -r " + rs),
                    List.of(IpvsChaosState.realServerElement(id, rs)), Bound.RUN, state);
            default -> new IpvsChaosOp.HandIpvs("ipvs-scheduler", List.of("-E " + id + " -s " + pick(IpvsChaosConfig.SCHEDULERS)),
                    List.of(svcElement), Bound.RUN, state);
        };
    }

    /** A foreign service added or deleted, or a foreign real server's weight changed. */
    private IpvsChaosOp foreignIpvs() {
        SortedMap<String, String> lines = new TreeMap<>(state.foreignIpvs());
        List<String> services = lines.keySet().stream().filter(k -> k.startsWith("svc|")).toList();
        int what = random.nextInt(3);
        int weight = random.nextInt(10);
        if (what == 0 || services.size() < 2) {
            String id = "-t " + IpvsChaosConfig.VIP + ":" + (9001 + foreignServices);
            String rs = "198.18.1." + (50 + foreignServices % 50) + ":" + (9001 + foreignServices);
            foreignServices++;
            IpvsChaosState.addService(lines, id, "wlc");
            IpvsChaosState.addRealServer(lines, id, rs, "-m", weight);
            return new IpvsChaosOp.HandIpvs("foreign-add", List.of("-A " + id + " -s wlc", "-a " + id + " -r " + rs + " -m -w "
                    + weight), List.of(), Bound.IMMEDIATE, state.withForeignIpvs(lines));
        }
        String svc = pick(services);
        String id = svc.substring("svc|".length());
        List<String> realServers = lines.keySet().stream().filter(k -> k.startsWith("rs|" + id + "|")).toList();
        if (what == 1 || realServers.isEmpty()) {
            lines.keySet().removeIf(k -> k.equals(svc) || k.startsWith("rs|" + id + "|"));
            return new IpvsChaosOp.HandIpvs("foreign-delete", List.of("-D " + id), List.of(), Bound.IMMEDIATE,
                    state.withForeignIpvs(lines));
        }
        String rsElement = pick(realServers);
        String line = lines.get(rsElement).replaceFirst("-w \\d+$", "-w " + weight);
        lines.put(rsElement, line);
        return new IpvsChaosOp.HandIpvs("foreign-weight", List.of("-e" + line.substring(2)), List.of(), Bound.IMMEDIATE,
                state.withForeignIpvs(lines));
    }

    /** A rule added to or deleted from a foreign table, or its chain flushed. */
    private IpvsChaosOp foreignNft() {
        String table = pick(IpvsChaosState.FOREIGN_TABLES);
        SortedSet<Integer> rules = new TreeSet<>(state.foreignNft().get(table));
        int what = random.nextInt(4);
        if (what <= 1 || rules.isEmpty()) {
            int n = ++foreignRules;
            rules.add(n);
            return new IpvsChaosOp.HandNft(NftEdit.ADD_RULE, table, n, state.withForeignRules(table, rules));
        }
        if (what == 2) {
            int n = pick(new ArrayList<>(rules));
            rules.remove(n);
            return new IpvsChaosOp.HandNft(NftEdit.DELETE_RULE, table, n, state.withForeignRules(table, rules));
        }
        return new IpvsChaosOp.HandNft(NftEdit.FLUSH_CHAIN, table, 0, state.withForeignRules(table, new TreeSet<>()));
    }

    private IpvsChaosOp health() {
        int octet = pick(IpvsChaosConfig.WEB_SERVERS);
        boolean up = !state.backendsUp().contains(octet);
        return new IpvsChaosOp.Health(octet, up, state.withBackend(octet, up));
    }

    /** A valid change: a weight, a real server added or removed, a scheduler, alt added or removed. */
    private IpvsChaosOp reload() {
        IpvsChaosConfig c = state.config();
        String service = random.nextBoolean() ? IpvsChaosConfig.WEB : IpvsChaosConfig.MARK;
        SortedMap<Integer, Integer> rs = c.realServers(service);
        List<Integer> pool = service.equals(IpvsChaosConfig.WEB) ? IpvsChaosConfig.WEB_SERVERS : IpvsChaosConfig.MARK_SERVERS;
        List<Integer> absent = pool.stream().filter(o -> !rs.containsKey(o)).toList();
        int what = random.nextInt(5);
        int octet = pick(new ArrayList<>(rs.keySet()));
        int drawn = random.nextInt(6);
        int weight = drawn == rs.get(octet) ? (drawn + 1) % 6 : drawn; // always a change
        List<String> others = IpvsChaosConfig.SCHEDULERS.stream().filter(x -> !x.equals(c.scheduler(service))).toList();
        String scheduler = others.get(random.nextInt(others.size()));
        int newcomer = absent.isEmpty() ? 0 : pick(absent);
        if (what == 1 && absent.isEmpty() || what == 2 && rs.size() < 2) {
            what = 0;
        }
        IpvsChaosConfig next;
        String change;
        switch (what) {
            case 0 -> {
                next = c.withRealServer(service, octet, weight);
                change = service + " 198.18.1." + octet + " weight " + rs.get(octet) + " -> " + weight;
            }
            case 1 -> {
                next = c.withRealServer(service, newcomer, weight);
                change = service + " adds 198.18.1." + newcomer + " (weight " + weight + ")";
            }
            case 2 -> {
                next = c.withRealServer(service, octet, null);
                change = service + " removes 198.18.1." + octet;
            }
            case 3 -> {
                next = c.withScheduler(service, scheduler);
                change = service + " scheduler " + c.scheduler(service) + " -> " + scheduler;
            }
            default -> {
                next = c.withAlt(!c.alt());
                change = (c.alt() ? "removes " : "adds ") + "service " + IpvsChaosConfig.ALT;
            }
        }
        return new IpvsChaosOp.Reload(change, state.withConfig(next));
    }
}
