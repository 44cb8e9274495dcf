package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeepalivedKeywordsTest {
    /** The block of reference.conf each place an entry names is read over. */
    private static final Map<String, String> READ_OVER = Map.of(
            "vipkeeper", "vipkeeper",
            "vipkeeper.ipvs", "vipkeeper.ipvs",
            "vipkeeper.vrrp.instances.NAME", "vipkeeper.vrrp.instance-defaults",
            "vipkeeper.vrrp.scripts.NAME", "vipkeeper.vrrp.script-defaults",
            "vipkeeper.vrrp.track-processes.NAME", "vipkeeper.vrrp.track-process-defaults",
            "vipkeeper.ipvs.virtual-servers.NAME", "vipkeeper.ipvs.virtual-server-defaults",
            "an entry of vipkeeper.ipvs.virtual-servers.NAME.real-servers", "vipkeeper.ipvs.real-server-defaults",
            "a virtual or real server", "vipkeeper.ipvs.virtual-server-defaults");
    private static final Pattern HERE = Pattern.compile("here it is ([a-z0-9-]+(?:\\.[a-z0-9-]+)*)");

    @Test
    void everyKeyTheTableNamesIsInReferenceConfWhereItSaysAndTheKeywordIsNot() {
        Config reference = ConfigLoader.reference();
        KeepalivedKeywords.entries().forEach((keyword, e) -> {
            if (e.key() == null) {
                return;
            }
            String block = READ_OVER.get(e.where());
            assertNotNull(block, keyword + ": no such place " + e.where());
            assertTrue(e.instead().contains(e.key()), keyword + ": " + e.instead());
            // The sync daemon has no default of its own, only the defaults it is read over.
            String key = e.key().equals("sync-daemon") ? "sync-daemon-defaults" : e.key();
            assertTrue(reference.hasPathOrNull(block + "." + key), keyword + ": " + block + "." + key);
            Matcher here = HERE.matcher(e.instead());
            if (here.find()) {
                String path = here.group(1).replaceFirst("^sync-daemon", "sync-daemon-defaults");
                assertTrue(reference.hasPathOrNull(block + "." + path), keyword + ": " + block + "." + path);
            }
            // A keyword that is a key there is read, never reported, so its hint could never show.
            assertFalse(reference.getObject(block).containsKey(keyword), keyword + " is a key of " + block);
        });
    }

    @Test
    void aKeywordWrittenInItsOwnBlockGetsNoPlaceElsewhereItsPlace() {
        assertEquals(Optional.of("that is keepalived's lb_algo; here it is scheduler"),
                KeepalivedKeywords.hint("lb_algo", "vipkeeper.ipvs.virtual-servers.web", Set.of("scheduler")));
        assertEquals(Optional.of("that is keepalived's lb_algo; here it is scheduler (in"
                + " vipkeeper.ipvs.virtual-servers.NAME)"), KeepalivedKeywords.hint("lb_algo", "vipkeeper", Set.of()));
        // A HOCON key may hold the section's name: the keyword is its first word.
        assertEquals(Optional.of("that is keepalived's vrrp_instance; here it is vipkeeper.vrrp.instances.NAME { ... }"),
                KeepalivedKeywords.hint("vrrp_instance VI_1", "", Set.of()));
    }

    @Test
    void onlyKeepalivedsKeywordsAreCalledKeepalivedS() {
        assertEquals(Optional.empty(), KeepalivedKeywords.hint("virtual_ips", "vipkeeper.vrrp.instances.web",
                Set.of("virtual-ips")));
        assertEquals(Optional.empty(), KeepalivedKeywords.hint("prority", "vipkeeper.vrrp.instances.web",
                Set.of("priority")));
    }
}
