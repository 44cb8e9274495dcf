package io.vipkeeper.appliance.it;

import java.util.List;

/**
 * One operation of the IPVS fault lab, every parameter drawn in advance by {@link IpvsChaosPlanner}
 * together with the lab's state after it, so the sequence depends on the seed alone;
 * {@link IpvsChaosExecutor} performs it and opens its windows.
 */
sealed interface IpvsChaosOp {
    /** What it does, for the timeline. */
    String describe();

    /** The kind, for the counts in the report. */
    String kind();

    /** What the lab controls after it (the same as before for hand edits of vipkeeper's own state and for faults). */
    IpvsChaosState after();

    /**
     * {@code ipvsadm ARGS} by hand, once per entry of {@code commands}. On vipkeeper's services the
     * window covers {@code elements} for {@code bound}; on foreign ones {@code after} says what the
     * lab made, and nothing may change it.
     */
    record HandIpvs(String kind, List<String> commands, List<String> elements, IpvsChaosWindows.Bound bound,
            IpvsChaosState after) implements IpvsChaosOp {
        public HandIpvs {
            commands = List.copyOf(commands);
            elements = List.copyOf(elements);
        }

        @Override
        public String describe() {
            return "ipvsadm " + String.join("; ipvsadm ", commands) + (kind.startsWith("foreign") ? " (foreign)" : "");
        }
    }

    /** What an nft edit does. */
    enum NftEdit {
        DELETE_TABLE, FLUSH_CHAIN, DELETE_RULE, ADD_RULE, ADD_CHAIN
    }

    /**
     * An nft edit by hand of {@code table}: vipkeeper's (repaired within a run) or a foreign one
     * ({@code after} holds its rules; {@code rule} names the rule added or deleted).
     */
    record HandNft(NftEdit edit, String table, int rule, IpvsChaosState after) implements IpvsChaosOp {
        @Override
        public String describe() {
            return "nft " + edit.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " in " + table
                    + (rule > 0 ? " (f" + rule + ")" : "") + (table.equals(IpvsChaosExpected.OWN_TABLE) ? "" : " (foreign)");
        }

        @Override
        public String kind() {
            return table.equals(IpvsChaosExpected.OWN_TABLE) ? "nft" : "nft-foreign";
        }
    }

    /** The HTTP server of web backend 198.18.1.{octet} stopped or started. */
    record Health(int octet, boolean up, IpvsChaosState after) implements IpvsChaosOp {
        @Override
        public String describe() {
            return "backend 198.18.1." + octet + " HTTP server " + (up ? "started" : "stopped");
        }

        @Override
        public String kind() {
            return "health";
        }
    }

    /** A reload with a valid change. */
    record Reload(String change, IpvsChaosState after) implements IpvsChaosOp {
        @Override
        public String describe() {
            return "reload: " + change;
        }

        @Override
        public String kind() {
            return "reload";
        }
    }

    /** A reload with a file that must be refused ({@link IpvsChaosBrokenFiles}); the valid file is put back afterwards. */
    record BrokenReload(String variant, double at, IpvsChaosState after) implements IpvsChaosOp {
        @Override
        public String describe() {
            return "reload with a broken file: " + variant
                    + (variant.equals(IpvsChaosBrokenFiles.HALF_WRITTEN) ? String.format(java.util.Locale.ROOT, " (cut at %.3f)", at) : "");
        }

        @Override
        public String kind() {
            return "broken";
        }
    }

    /** {@code count} SIGHUPs about {@code gapMillis} apart, the file unchanged. */
    record HupStorm(int count, int gapMillis, IpvsChaosState after) implements IpvsChaosOp {
        @Override
        public String describe() {
            return "SIGHUP storm: " + count + " signals " + gapMillis + " ms apart";
        }

        @Override
        public String kind() {
            return "hup";
        }
    }

    /** SIGUSR1 or SIGUSR2. */
    record UserSignal(String signal, IpvsChaosState after) implements IpvsChaosOp {
        @Override
        public String describe() {
            return "SIG" + signal;
        }

        @Override
        public String kind() {
            return "usr";
        }
    }
}
