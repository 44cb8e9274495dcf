package io.vipkeeper.appliance.it;

import io.vipkeeper.appliance.it.ChaosOp.Effect;
import io.vipkeeper.appliance.it.ChaosOp.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Draws the fault lab's operations from {@code java.util.Random(seed)}. Every parameter is drawn
 * here, from the planner's own model of the configs (never from what the running nodes do), and
 * the number of draws per operation does not depend on timing: a seed always gives the same
 * sequence, so {@code --seed N} replays the operations that led to a violation.
 */
final class ChaosPlanner {
    /** An operation with its number and the pause before it. */
    record Planned(int number, long pauseMillis, ChaosOp op) {
    }

    /** Operation kinds and their weights. */
    private static final Map<String, Integer> WEIGHTS = weights();

    private final Random random;
    private final boolean keepalivedPeer;
    private final List<String> kinds = new ArrayList<>();
    private final Map<String, ChaosConfig> configs = new LinkedHashMap<>();
    private int number;

    /**
     * @param keepalivedPeer lb2 is keepalived: no auth mutations (2.2.7 has no HMAC), file and
     *     signal faults only on lb1, a VIP list change splits the pair (keepalived drops adverts
     *     whose address list differs from its own), no forged adverts
     * @param skip kinds left out
     */
    ChaosPlanner(long seed, boolean keepalivedPeer, Set<String> skip) {
        this.random = new Random(seed);
        this.keepalivedPeer = keepalivedPeer;
        for (String k : WEIGHTS.keySet()) {
            // keepalived 2.2.7 drops a stranger's adverts (check_unicast_src) but, as master, sends
            // none of its own while they keep coming (seed 403: its backup took over every
            // Master_Down_Interval); vipkeeper's dropping is tested with a vipkeeper peer.
            if (!skip.contains(k) && !(keepalivedPeer && k.equals("forge"))) {
                for (int i = 0; i < WEIGHTS.get(k); i++) {
                    kinds.add(k);
                }
            }
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("--skip left no operation");
        }
        configs.put("lb1", ChaosConfig.initial("lb1"));
        configs.put("lb2", ChaosConfig.initial("lb2"));
    }

    private static Map<String, Integer> weights() {
        Map<String, Integer> w = new LinkedHashMap<>();
        w.put("reload", 30);
        w.put("instance", 5);
        w.put("broken", 10);
        w.put("hup", 5);
        w.put("usr", 5);
        w.put("kill", 6);
        w.put("term", 6);
        w.put("link", 6);
        w.put("partition", 6);
        w.put("loss", 4);
        w.put("burn", 4);
        w.put("forge", 4);
        w.put("delvip", 8);
        return w;
    }

    /** The kinds {@code --skip} accepts. */
    static Set<String> kindNames() {
        return WEIGHTS.keySet();
    }

    /** The next operation. */
    Planned next() {
        long pause = random.nextInt(1500);
        String kind = kinds.get(random.nextInt(kinds.size()));
        String anyNode = random.nextBoolean() ? "lb1" : "lb2";
        String vipkeeperNode = keepalivedPeer ? "lb1" : anyNode;
        long hold = random.nextInt(3000);
        ChaosOp op = switch (kind) {
            case "reload" -> mutation();
            case "instance" -> second();
            case "broken" -> new ChaosOp.BrokenReload(vipkeeperNode,
                    ChaosFiles.VARIANTS.get(random.nextInt(ChaosFiles.VARIANTS.size())), random.nextDouble());
            case "hup" -> new ChaosOp.HupStorm(vipkeeperNode, 3 + random.nextInt(28), random.nextInt(21));
            case "usr" -> new ChaosOp.UserSignal(vipkeeperNode, random.nextBoolean() ? "USR1" : "USR2");
            case "kill" -> new ChaosOp.Restart(anyNode, true, hold);
            case "term" -> new ChaosOp.Restart(anyNode, false, hold);
            case "link" -> new ChaosOp.LinkFault(anyNode, random.nextBoolean(), hold);
            case "partition" -> new ChaosOp.Partition(200 + hold);
            case "loss" -> new ChaosOp.Loss(random.nextInt(3) == 0 ? List.of("lb1", "lb2") : List.of(anyNode),
                    5 + random.nextInt(56), 1000 + random.nextInt(7000));
            case "burn" -> new ChaosOp.Burn(2, 2000 + random.nextInt(8000));
            case "forge" -> new ChaosOp.Forge(1000 + random.nextInt(4000));
            case "delvip" -> new ChaosOp.DeleteVip(configs.get("lb1").second() && random.nextBoolean()
                    ? ChaosConfig.VIP2 : ChaosConfig.VIP);
            default -> throw new IllegalStateException(kind);
        };
        return new Planned(++number, pause, op);
    }

    /** A reload with one random valid change of vi_1 on one node or both. */
    private ChaosOp mutation() {
        List<String> kinds = new ArrayList<>(List.of("garp", "notify", "vip", "track", "priority", "auth"));
        if (keepalivedPeer) {
            kinds.remove("auth");
        }
        String what = kinds.get(random.nextInt(kinds.size()));
        int target = random.nextInt(3); // lb1, lb2, both
        boolean lb1First = random.nextBoolean();
        long pause = random.nextInt(what.equals("auth") || what.equals("vip") ? 2000 : 1000);
        int value = random.nextInt(1000);
        List<String> nodes = target == 2 ? (lb1First ? List.of("lb1", "lb2") : List.of("lb2", "lb1"))
                : List.of(target == 0 ? "lb1" : "lb2");
        Effect effect = Effect.NONE;
        String change;
        switch (what) {
            case "garp" -> change = "garp master-repeat " + (1 + value % 5) + ", master-delay " + (value / 5 % 3) + "s";
            case "notify" -> change = "notify-script " + (configs.get(nodes.get(0)).notifies() ? "removed" : "set");
            case "vip" -> {
                change = "extra VIP " + (configs.get(nodes.get(0)).extraVip() ? "removed" : "added");
                if (keepalivedPeer) {
                    nodes = lb1First ? List.of("lb1", "lb2") : List.of("lb2", "lb1");
                    effect = Effect.SPLIT;
                }
            }
            case "track" -> change = "track-interfaces " + (configs.get(nodes.get(0)).track() ? "removed" : "[trk0]");
            case "priority" -> {
                nodes = List.of(nodes.get(0));
                String other = nodes.get(0).equals("lb1") ? "lb2" : "lb1";
                int peer = configs.get(other).priority();
                int p = 10 + value % 240;
                if (p == peer) {
                    p++;
                }
                boolean wasHigher = configs.get(nodes.get(0)).priority() > peer;
                effect = wasHigher == (p > peer) ? Effect.NONE : Effect.PREEMPT;
                change = "vi_1 priority " + p + (effect == Effect.PREEMPT ? " (the order changes)" : " (same order)");
                value = p;
            }
            case "auth" -> {
                nodes = lb1First ? List.of("lb1", "lb2") : List.of("lb2", "lb1");
                effect = Effect.SPLIT;
                int key = (configs.get("lb1").authKey() + 1 + value % 3) % 4;
                change = key == 0 ? "authentication none" : "authentication hmac-sha256 key " + key;
                value = key;
            }
            default -> throw new IllegalStateException(what);
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            String node = nodes.get(i);
            ChaosConfig c = configs.get(node);
            ChaosConfig next = switch (what) {
                case "garp" -> c.withGarp(1 + value % 5, value / 5 % 3);
                case "notify" -> c.withNotify(!configs.get(nodes.get(0)).notifies());
                case "vip" -> c.withExtraVip(!configs.get(nodes.get(0)).extraVip());
                case "track" -> c.withTrack(!configs.get(nodes.get(0)).track());
                case "priority" -> c.withPriority(value);
                default -> c.withAuthKey(value);
            };
            steps.add(new Step(node, next, i + 1 < nodes.size() ? pause : 0));
        }
        steps.forEach(s -> configs.put(s.node(), s.config()));
        return new ChaosOp.Reload(change, effect, steps);
    }

    /** vi_2 added to or removed from both nodes, one after the other. */
    private ChaosOp second() {
        boolean add = !configs.get("lb1").second();
        boolean lb1First = random.nextBoolean();
        long pause = random.nextInt(1500);
        List<Step> steps = new ArrayList<>();
        for (String node : lb1First ? List.of("lb1", "lb2") : List.of("lb2", "lb1")) {
            steps.add(new Step(node, configs.get(node).withSecond(add), steps.isEmpty() ? pause : 0));
        }
        steps.forEach(s -> configs.put(s.node(), s.config()));
        return new ChaosOp.Reload((add ? "add " : "remove ") + ChaosConfig.VI_2 + " (VRID " + ChaosConfig.VRID2 + ", "
                + ChaosConfig.VIP2 + ")", Effect.SECOND, steps);
    }
}
