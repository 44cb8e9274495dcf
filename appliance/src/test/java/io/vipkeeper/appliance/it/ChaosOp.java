package io.vipkeeper.appliance.it;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One operation of the fault lab with every parameter drawn in advance by {@link ChaosPlanner}, so
 * the sequence depends on the seed alone; {@link ChaosExecutor} performs it and opens its window.
 */
sealed interface ChaosOp {
    /** What it does, for the timeline. */
    String describe();

    /** The option name that leaves operations of this kind out ({@code --skip NAME,...}). */
    String kind();

    /** How a reload's change may move the VIP, which decides its window. */
    enum Effect {
        /** No transition, no gap (garp, notify, an extra VIP, tracking, a priority that keeps the order). */
        NONE,
        /** The priority order changes: the new higher node preempts. */
        PREEMPT,
        /** The nodes stop accepting each other's adverts until the second follows (auth, keepalived's VIP list check). */
        SPLIT,
        /** vi_2 is added or removed: its own startup or handover, vi_1 untouched. */
        SECOND
    }

    /** A file written to a node and SIGHUP; {@code pauseMillis} before the next step. */
    record Step(String node, ChaosConfig config, long pauseMillis) {
    }

    /** Reloads with valid mutations, one node after the other. */
    record Reload(String change, Effect effect, List<Step> steps) implements ChaosOp {
        @Override
        public String describe() {
            return "reload " + steps.stream().map(s -> s.node() + (s.pauseMillis() > 0 ? " (then " + s.pauseMillis()
                    + " ms)" : "")).collect(Collectors.joining(", ")) + ": " + change;
        }

        @Override
        public String kind() {
            return effect == Effect.SECOND ? "instance" : "reload";
        }
    }

    /**
     * A reload with a file that must be refused; the valid file is put back afterwards.
     *
     * @param variant {@link ChaosFiles#VARIANTS}
     * @param at where a half-written file ends, as a fraction of the valid file before its last brace
     */
    record BrokenReload(String node, String variant, double at) implements ChaosOp {
        @Override
        public String describe() {
            return "reload " + node + " with a broken file: " + variant
                    + (variant.equals(ChaosFiles.HALF_WRITTEN) ? String.format(java.util.Locale.ROOT, " (cut at %.3f)", at) : "");
        }

        @Override
        public String kind() {
            return "broken";
        }
    }

    /** {@code count} SIGHUPs {@code gapMillis} apart, the file unchanged. */
    record HupStorm(String node, int count, int gapMillis) implements ChaosOp {
        @Override
        public String describe() {
            return "SIGHUP storm on " + node + ": " + count + " signals " + gapMillis + " ms apart";
        }

        @Override
        public String kind() {
            return "hup";
        }
    }

    /** SIGUSR1 or SIGUSR2 (keepalived's dump signals). */
    record UserSignal(String node, String signal) implements ChaosOp {
        @Override
        public String describe() {
            return "SIG" + signal + " to " + node;
        }

        @Override
        public String kind() {
            return "usr";
        }
    }

    /** SIGKILL (crash) or SIGTERM (graceful stop), then a start after {@code holdMillis}. */
    record Restart(String node, boolean kill, long holdMillis) implements ChaosOp {
        @Override
        public String describe() {
            return (kill ? "SIGKILL " : "SIGTERM ") + node + ", start again after " + holdMillis + " ms";
        }

        @Override
        public String kind() {
            return kill ? "kill" : "term";
        }
    }

    /** The node's eth0 down (it sees it) or its cable pulled at the bridge (carrier loss), for {@code holdMillis}. */
    record LinkFault(String node, boolean cable, long holdMillis) implements ChaosOp {
        @Override
        public String describe() {
            return (cable ? "cable of " + node + " pulled" : node + " eth0 down") + " for " + holdMillis + " ms";
        }

        @Override
        public String kind() {
            return "link";
        }
    }

    /** VRRP between the two nodes dropped both ways (nft in the bridge) for {@code holdMillis}. */
    record Partition(long holdMillis) implements ChaosOp {
        @Override
        public String describe() {
            return "partition lb1/lb2 (VRRP dropped both ways) for " + holdMillis + " ms";
        }

        @Override
        public String kind() {
            return "partition";
        }
    }

    /** Random loss of received VRRP on {@code nodes} (nft numgen) for {@code millis}; runs in the background. */
    record Loss(List<String> nodes, int percent, long millis) implements ChaosOp {
        @Override
        public String describe() {
            return percent + "% VRRP loss into " + String.join(" and ", nodes) + " for " + millis + " ms (background)";
        }

        @Override
        public String kind() {
            return "loss";
        }
    }

    /** CPU burners at nice 0 for {@code millis} while the daemons run at nice -10; background. */
    record Burn(int burners, long millis) implements ChaosOp {
        @Override
        public String describe() {
            return burners + " CPU burners for " + millis + " ms (background)";
        }

        @Override
        public String kind() {
            return "burn";
        }
    }

    /** Adverts at priority 254 for the lab's VRIDs from a non-peer, for {@code millis}; background. */
    record Forge(long millis) implements ChaosOp {
        @Override
        public String describe() {
            return "forged priority-254 adverts from " + ChaosConfig.STRANGER + " for " + millis + " ms (background)";
        }

        @Override
        public String kind() {
            return "forge";
        }
    }

    /** {@code ip addr del} of {@code vip} on whichever node holds it. */
    record DeleteVip(String vip) implements ChaosOp {
        @Override
        public String describe() {
            return "ip addr del " + vip + " on its holder";
        }

        @Override
        public String kind() {
            return "delvip";
        }
    }
}
