package io.vipkeeper.appliance.keepalived;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An instance's track_script, track_file or track_process block to vipkeeper's track-scripts,
 * track-files or track-processes, with the weights turned into vipkeeper's meaning.
 *
 * <p>Scripts: keepalived adds a positive weight while the script succeeds and a negative one while
 * it fails; vipkeeper adds the script's weight while it fails. A positive keepalived weight W is
 * therefore written as weight -W with the instance's priority raised by W: the advertised priority
 * is the same in both states. Processes work the same way, and keepalived's reverse (the weight
 * counts the other way round) is vipkeeper's reverse where that keeps the priorities the same.
 * Files: both add value times weight (negated with reverse), so weight and reverse are carried.
 *
 * <p>keepalived keeps the priority at 254 at most and never changes an address owner's 255
 * (vrrp_track.c): a positive weight is carried only as far as it raises the priority below 254
 * (priority 254 with weight 5 changes nothing), and at 255 a weighted line is left out.
 *
 * <p>A per-instance weight or reverse ({@code chk weight 10}) becomes a copy of the definition
 * with that weight, named {@code NAME-weight-10}: vipkeeper keeps the weight on the definition.
 */
final class Tracking {
    /** The names to track and how much the instance's priority rises. */
    record Result(List<String> names, int priorityBonus) {
        static final Result NONE = new Result(List.of(), 0);
    }

    /** vipkeeper's weight and reverse for a keepalived weight, and the priority bonus they need. */
    private record Mapped(int weight, boolean reverse, int bonus) {
    }

    private Tracking() {
    }

    /**
     * The tracking of one block of an instance with base {@code priority}; {@code headroom} is how
     * far positive weights may still raise it before keepalived's cap at 254.
     */
    static Result map(ImportContext ctx, TrackKind kind, Statement block, boolean weightless, int priority,
            int headroom) {
        List<String> names = new ArrayList<>();
        int bonus = 0;
        Set<String> seen = new HashSet<>();
        for (Statement s : block.children()) {
            String name = s.keyword();
            if (!seen.add(name)) {
                ctx.notes.fallback(s.origin(), name, "tracked twice: keepalived ignores the second line, and so does "
                        + "the import");
                continue;
            }
            ImportContext.Script def = ctx.defined(kind).get(name);
            if (def == null) {
                ctx.notes.fallback(s.origin(), name, "no " + kind.definedBy + " of that name; keepalived ignores the "
                        + "line, and so does the import");
                continue;
            }
            int weight = def.weight();
            boolean reverse = def.reverse();
            if (s.word(1).filter("weight"::equals).isPresent()) {
                weight = ctx.integer(s, 2, -kind.maxWeight, kind.maxWeight).orElse(weight);
                String dir = s.word(3).orElse("");
                if (kind == TrackKind.SCRIPT && dir.equals("reverse")) {
                    ctx.unsupported(s, "vipkeeper has no reverse weight for a script: invert the script's exit "
                            + "status instead");
                } else if (dir.equals("reverse") || dir.equals("noreverse")) {
                    reverse = dir.equals("reverse");
                }
            }
            if (weightless && weight != 0) {
                ctx.notes.fallback(s.origin(), name, "the instance is in a sync group: keepalived ignores the weight "
                        + "(a failure puts the instance in FAULT), and so does the import");
                weight = 0;
            }
            if (priority == 255 && weight != 0) {
                ctx.notes.fallback(s.origin(), name, "keepalived never changes priority 255 (the address owner), so "
                        + "a weighted line does nothing: the import leaves it out");
                continue;
            }
            Mapped m = mapped(kind, weight, reverse);
            if (m.bonus() > headroom - bonus) {
                int carried = headroom - bonus;
                if (carried == 0) {
                    ctx.notes.fallback(s.origin(), name, "priority " + (priority + bonus) + " plus weight "
                            + m.bonus() + " passes 254, where keepalived caps it, so the weight changes nothing: the "
                            + "import leaves the line out");
                    continue;
                }
                ctx.notes.fallback(s.origin(), name, "priority " + (priority + bonus) + " plus weight " + m.bonus()
                        + " passes 254, where keepalived caps it: carried as weight " + carried + " (priority 254 "
                        + "while it is up, " + carried + " less while it is down; beside other weights only "
                        + "all up and all down match keepalived)");
                // Only a positive weight has a bonus: carried as the smaller keepalived weight, named as such.
                weight = carried;
                m = mapped(kind, weight, reverse);
            }
            if (m.bonus() != 0) {
                bonus += m.bonus();
                ctx.notes.note(s.origin(), name, "keepalived adds weight " + m.bonus() + " while it is up, vipkeeper "
                        + "adds a weight while it is down: written as priority +" + m.bonus() + " and weight "
                        + m.weight() + ", the same priorities");
            }
            String out = weight == def.weight() && reverse == def.reverse() ? name
                    : name + "-weight-" + (weight < 0 ? "minus-" + -weight : String.valueOf(weight))
                    + (reverse ? "-reverse" : "");
            if (!out.equals(name)) {
                ctx.notes.note(s.origin(), name, "vipkeeper keeps the weight on the " + kind.definedBy + ", not in the "
                        + "instance: this instance tracks a copy, " + out + ", watched on its own");
            }
            if (!ctx.written(kind).containsKey(out)) {
                Hocon body = def.body().copyWith("weight", m.weight());
                if (m.reverse()) {
                    body = body.copyWith("reverse", true);
                }
                ctx.written(kind).put(out, body);
                ctx.vrrp().block(kind.block).put(out, body);
            }
            names.add(out);
        }
        return new Result(names, bonus);
    }

    private static Mapped mapped(TrackKind kind, int weight, boolean reverse) {
        return switch (kind) {
            case FILE -> new Mapped(weight, reverse, 0);
            // reverse is refused above for scripts
            case SCRIPT -> weight > 0 ? new Mapped(-weight, false, weight) : new Mapped(weight, false, 0);
            // keepalived (vrrp_track.c): with W > 0, W * (reverse ? -1 : 1) is added while the quorum is
            // met; with W < 0, while it is not; with 0, reverse swaps which state is FAULT.
            case PROCESS -> {
                if (weight == 0) {
                    yield new Mapped(0, reverse, 0);
                } else if (weight < 0) {
                    yield new Mapped(reverse ? -weight : weight, false, 0);
                } else {
                    yield reverse ? new Mapped(-weight, true, 0) : new Mapped(-weight, false, weight);
                }
            }
        };
    }
}
