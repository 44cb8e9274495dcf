package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The entries of a config block without {@link ConfigObject#entrySet()}: typesafe-config builds
 * that as a {@code HashSet} of entries, so it hashes every value, and a block's hash is the hash of
 * its whole subtree (each level's keys copied and sorted on the way). Asked of the root and of each
 * block on the way down, that hashed a 100 x 100 config several times over: an eighth to a fifth
 * of the config thread's samples at start and 17 of its 154 MB of allocation (JFR, 2026-12-07).
 * The keys and a lookup each give the same entries, in no particular order either.
 */
final class ObjectEntries {
    private ObjectEntries() {
    }

    /** The entries of {@code block}, unordered as {@code entrySet()}'s are. */
    static List<Map.Entry<String, ConfigValue>> of(ConfigObject block) {
        List<Map.Entry<String, ConfigValue>> out = new ArrayList<>(block.size());
        for (String key : block.keySet()) {
            out.add(new AbstractMap.SimpleImmutableEntry<>(key, block.get(key)));
        }
        return out;
    }
}
