package io.vipkeeper.vrrp.protocol;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed MACs ready for use, one per thread, algorithm and key. Looking up the provider and
 * setting up the key cost more than the MAC of a 40-byte advert; doing it for every received
 * packet let a flood of forged adverts stretch a master's advert gap (issue 15). A MAC is reset
 * to its keyed state by {@code doFinal}, so it is reused as it is.
 */
final class Macs {
    /** A few keys per thread: one per authenticated instance on the VRRP loop, usually one. */
    private static final int KEYS_PER_THREAD = 16;

    private record Key(String algorithm, ByteBuffer key) {
    }

    private static final ThreadLocal<Map<Key, Mac>> CACHE = ThreadLocal.withInitial(() ->
            new LinkedHashMap<>(4, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, Mac> eldest) {
                    return size() > KEYS_PER_THREAD;
                }
            });

    private Macs() {
    }

    /** A MAC of {@code algorithm} keyed with {@code key}, to be used and finished by this thread. */
    static Mac keyed(String algorithm, byte[] key) {
        return CACHE.get().computeIfAbsent(new Key(algorithm, ByteBuffer.wrap(key.clone())), k -> {
            try {
                Mac mac = Mac.getInstance(algorithm);
                mac.init(new SecretKeySpec(key, algorithm));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " is required by every JDK", e);
            }
        });
    }
}
