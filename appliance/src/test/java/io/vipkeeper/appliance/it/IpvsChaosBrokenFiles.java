package io.vipkeeper.appliance.it;

import java.util.List;

/**
 * Files a reload must refuse, made from the IPVS fault lab's valid file: empty, half-written (cut
 * before its last closing brace, so never complete), one with no virtual server (a reload that
 * would remove everything), and valid HOCON with one bad value or key.
 */
final class IpvsChaosBrokenFiles {
    static final String EMPTY = ChaosFiles.EMPTY;
    static final String HALF_WRITTEN = ChaosFiles.HALF_WRITTEN;
    /** Every variant; the planner draws one. */
    static final List<String> VARIANTS = List.of(EMPTY, HALF_WRITTEN, "no virtual servers", "unknown scheduler",
            "weight 70000", "misspelt key", "stray brace", "port 0 without persistence", "bare duration");

    private IpvsChaosBrokenFiles() {
    }

    /**
     * {@code valid} broken the way {@code variant} says; {@code at} places the cut of a half-written
     * file. The empty, half-written and stray-brace files are the VRRP lab's ({@link ChaosFiles}).
     */
    static String broken(String valid, String variant, double at) {
        return switch (variant) {
            case "no virtual servers" -> valid.substring(0, valid.indexOf("virtual-servers {")) + "virtual-servers {}\n  }\n}\n";
            case "unknown scheduler" -> ChaosFiles.replaceOnce(valid, "scheduler = \\w+", "scheduler = fastest");
            case "weight 70000" -> ChaosFiles.replaceOnce(valid, "weight = \\d+", "weight = 70000");
            case "misspelt key" -> ChaosFiles.replaceOnce(valid, "snat = true", "snat = true\n        sheduler = rr");
            case "port 0 without persistence" -> ChaosFiles.replaceOnce(valid, "port = 80\n", "port = 0\n");
            case "bare duration" -> ChaosFiles.replaceOnce(valid, "reconcile-interval = (\\d+)ms", "reconcile-interval = $1");
            default -> ChaosFiles.broken(valid, variant, at);
        };
    }
}
