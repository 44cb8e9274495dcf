package io.vipkeeper.vrrp.fsm;

import io.vipkeeper.vrrp.protocol.HmacTrailer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one router's auth_hmac is configured with (keepalived's vrrp_auth_hmac_t without its run
 * state): the keys by id, the id used when sending, the mode, and the anti-replay rule.
 *
 * @param keys key bytes by id (1..255, each 32..64 bytes); copied
 * @param activeKey id of the key adverts are signed with; must be among {@code keys}
 * @param mode migration or enforce
 * @param timeWindow true: anti_replay time (a trailer whose seconds differ from our clock by more
 *     than {@code windowSeconds} is STALE, before the HMAC is computed); false: monotonic (only a
 *     growing sequence per sender)
 * @param windowSeconds the freshness window, 1..300 s (keepalived: max(3 x advert interval, 5 s)
 *     unless set)
 */
public record HmacPolicy(Map<Integer, byte[]> keys, int activeKey, HmacMode mode, boolean timeWindow,
        int windowSeconds) {
    /** Smallest and largest freshness window (keepalived's VRRP_AUTH_HMAC_WINDOW_MIN/MAX). */
    public static final int WINDOW_MIN = 1;
    public static final int WINDOW_MAX = 300;
    /** Lower bound of a window derived from the advert interval (VRRP_AUTH_HMAC_WINDOW_FLOOR). */
    public static final int WINDOW_FLOOR = 5;

    /** Checks what the config reader has already reported, so a bad policy cannot be built. */
    public HmacPolicy {
        TreeMap<Integer, byte[]> copy = new TreeMap<>();
        keys.forEach((id, key) -> {
            if (id < 1 || id > 255 || key.length < HmacTrailer.KEY_MIN || key.length > HmacTrailer.KEY_MAX) {
                throw new IllegalArgumentException("key " + id + " of " + key.length + " bytes");
            }
            copy.put(id, key.clone());
        });
        if (!copy.containsKey(activeKey)) {
            throw new IllegalArgumentException("active key " + activeKey + " is not defined");
        }
        if (windowSeconds < WINDOW_MIN || windowSeconds > WINDOW_MAX) {
            throw new IllegalArgumentException("time window " + windowSeconds + " s");
        }
        keys = Collections.unmodifiableMap(copy);
    }

    /** One key, id 1, enforce, time anti-replay with the window derived from {@code advertIntervalCentis}. */
    public static HmacPolicy single(byte[] key, int advertIntervalCentis) {
        return new HmacPolicy(Map.of(1, key), 1, HmacMode.ENFORCE, true, derivedWindow(advertIntervalCentis));
    }

    /**
     * keepalived's window when none is set: three advert intervals in whole seconds, at least
     * {@link #WINDOW_FLOOR}, at most {@link #WINDOW_MAX}.
     */
    public static int derivedWindow(int advertIntervalCentis) {
        return Math.min(WINDOW_MAX, Math.max(WINDOW_FLOOR, 3 * (advertIntervalCentis / 100)));
    }

    /** The key with this id, or null. */
    public byte[] key(int id) {
        return keys.get(id);
    }

    @Override
    public String toString() {
        return "HmacPolicy[keys=" + keys.keySet() + ", active=" + activeKey + ", " + mode + ", "
                + (timeWindow ? "time " + windowSeconds + "s" : "monotonic") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HmacPolicy p && activeKey == p.activeKey && mode == p.mode && timeWindow == p.timeWindow
                && windowSeconds == p.windowSeconds && keys.keySet().equals(p.keys.keySet())
                && keys.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), p.keys.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return Objects.hash(keys.keySet(), activeKey, mode, timeWindow, windowSeconds);
    }
}
