package io.vipkeeper.appliance.it;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading an {@code nft list} listing in the engine tests: a rule's counter by its comment. */
final class NftListing {
    private static final Pattern PACKETS = Pattern.compile("counter packets (\\d+)");

    private NftListing() {
    }

    /** The packets of the first counter in {@code listing} on a rule with comment {@code tag} (null: any rule). */
    static long packets(String listing, String tag) {
        for (String line : listing.split("\n")) {
            Matcher m = PACKETS.matcher(line);
            if (m.find() && (tag == null || line.contains("comment \"" + tag + "\""))) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no counter" + (tag == null ? "" : " for " + tag) + " in " + listing);
    }

    /** The MAC address of {@code dev} in namespace {@code ns}, as {@code ip link} prints it. */
    static String mac(String ns, String dev) throws Exception {
        Matcher m = Pattern.compile("link/ether (\\S+)").matcher(Lab.sh("ip", "-n", ns, "link", "show", dev));
        if (!m.find()) {
            throw new AssertionError("no MAC on " + dev + " in " + ns);
        }
        return m.group(1);
    }
}
