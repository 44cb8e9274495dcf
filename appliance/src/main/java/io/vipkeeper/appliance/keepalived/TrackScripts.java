package io.vipkeeper.appliance.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * An instance's track_script block to vipkeeper's track-scripts. keepalived adds a positive weight
 * to the priority while the script succeeds and a negative one while it fails; vipkeeper adds the
 * script's weight while it fails. A positive keepalived weight W is therefore written as weight -W
 * with the instance's priority raised by W: the advertised priority is the same in both states. A
 * per-instance weight (track_script { chk weight 10 }) becomes a copy of the script with that weight.
 */
final class TrackScripts {
    /** The names to track and how much the instance's priority rises. */
    record Result(List<String> names, int priorityBonus) {
    }

    private TrackScripts() {
    }

    static Result map(ImportContext ctx, Statement block, boolean weightless) {
        List<String> names = new ArrayList<>();
        int bonus = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Statement s : block.children()) {
            String name = s.keyword();
            if (!seen.add(name)) {
                ctx.notes.fallback(s.origin(), name, "tracked twice: keepalived ignores the second line, and so does "
                        + "the import");
                continue;
            }
            ImportContext.Script script = ctx.scripts.get(name);
            if (script == null) {
                ctx.notes.fallback(s.origin(), name, "no vrrp_script of that name; keepalived ignores the line, "
                        + "and so does the import");
                continue;
            }
            int weight = script.weight();
            if (s.word(1).filter("weight"::equals).isPresent()) {
                weight = ctx.integer(s, 2, -253, 253).orElse(weight);
                if (s.word(3).filter("reverse"::equals).isPresent()) {
                    ctx.unsupported(s, "vipkeeper has no reverse weight: invert the script's exit status instead");
                }
            }
            if (weightless && weight != 0) {
                ctx.notes.fallback(s.origin(), name, "the instance is in a sync group: keepalived ignores the weight "
                        + "(a failing script puts the instance in FAULT), and so does the import");
                weight = 0;
            }
            if (weight > 0) {
                bonus += weight;
                ctx.notes.note(s.origin(), name, "keepalived adds weight " + weight + " while the script succeeds, "
                        + "vipkeeper adds a weight while it fails: written as priority +" + weight + " and weight -"
                        + weight + ", the same priorities");
            }
            int vipkeeperWeight = weight > 0 ? -weight : weight;
            String out = weight == script.weight() ? name
                    : name + "-weight-" + (weight < 0 ? "minus-" + -weight : String.valueOf(weight));
            if (!ctx.writtenScripts.containsKey(out)) {
                Hocon body = script.body().copyWith("weight", vipkeeperWeight);
                ctx.writtenScripts.put(out, body);
                ctx.vrrp().block("scripts").put(out, body);
            }
            names.add(out);
        }
        return new Result(names, bonus);
    }
}
