package io.vipkeeper.appliance.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Read-only copies that keep file order (Map.copyOf would not). */
final class Immutable {
    private Immutable() {
    }

    static <K, V> Map<K, V> orderedMap(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
