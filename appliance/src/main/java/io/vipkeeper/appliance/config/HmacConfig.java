package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ConfigName;
import java.time.Duration;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An instance's hmac-sha256 settings, keepalived 2.4's auth_hmac block: several keys by id so a
 * pair rotates without a transition, the one it signs with, the migration mode and the anti-replay
 * rule. Compared as values (a reload that changes a key, even inside a key file, is a change).
 *
 * @param keys key id (1..255) to the key, written canonically as {@code "hex:..."} (32..64 bytes),
 *     whatever form the file used
 * @param activeKey id of the key adverts are signed with (one of {@code keys})
 * @param mode receive-only, permissive or enforce
 * @param antiReplay time or monotonic
 * @param timeWindow the freshness window, whole seconds 1..300; zero: keepalived's
 *     max(3 x advert-interval, 5 s)
 */
public record HmacConfig(SortedMap<Integer, String> keys, int activeKey, Mode mode, AntiReplay antiReplay,
        Duration timeWindow) {
    /** Copies the keys. */
    public HmacConfig {
        keys = Collections.unmodifiableSortedMap(new TreeMap<>(keys));
    }

    /** The secrets stay out of logs and exceptions. */
    @Override
    public String toString() {
        return "HmacConfig[keys " + keys.keySet() + ", active-key " + activeKey + ", " + mode.configName() + ", "
                + antiReplay.configName() + (timeWindow.isZero() ? "" : " " + timeWindow.toSeconds() + "s") + "]";
    }

    /** keepalived's auth_hmac mode: how the migration from no authentication to enforce goes. */
    public enum Mode implements ConfigName {
        /** Verify a trailer when present, accept adverts without one, send none. */
        RECEIVE_ONLY("receive-only"),
        /** Sign, verify a trailer when present, accept adverts without one. */
        PERMISSIVE("permissive"),
        /** Sign and require a valid trailer. */
        ENFORCE("enforce");

        private final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /** keepalived's auth_hmac anti_replay. */
    public enum AntiReplay implements ConfigName {
        /** A timestamp outside the window is refused (stale), and per sender the sequence must grow. */
        TIME("time"),
        /** Per sender the sequence must grow; no window. */
        MONOTONIC("monotonic");

        private final String configName;

        AntiReplay(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }
}
