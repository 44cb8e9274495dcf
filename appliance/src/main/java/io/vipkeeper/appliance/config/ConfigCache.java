package io.vipkeeper.appliance.config;

import com.typesafe.config.ConfigObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one load can reuse from the previous: the parse of an included file whose bytes did not
 * change (and that includes nothing itself), and the reading of a virtual server whose block is
 * that very parse over equal defaults and that had no problem. A reload of a large config split
 * into included files then re-reads only what was edited. Kept by the daemon between reloads;
 * not thread-safe (loads are serial). {@link #NONE} reuses nothing.
 */
public final class ConfigCache {
    /** A cache that keeps nothing (one-off loads: {@code check}, tools). */
    public static final ConfigCache NONE = new ConfigCache(false);

    private final boolean enabled;
    private final Map<String, Parsed> parsed = new HashMap<>();
    private final Map<String, Read> read = new HashMap<>();
    /** The engine the kept readings were checked against. */
    private String readFor = "";
    private long parseHits;
    private long readHits;

    private record Parsed(byte[] content, ConfigObject object) {
    }

    private record Read(ConfigObject block, ConfigObject defaults, ConfigObject realServerDefaults, VirtualServer vs) {
    }

    private ConfigCache(boolean enabled) {
        this.enabled = enabled;
    }

    /** An empty cache that keeps what loads give it. */
    public static ConfigCache create() {
        return new ConfigCache(true);
    }

    /**
     * The parse of {@code file} whose bytes are {@code content}: the kept one if the bytes are the
     * same, else {@code parse}'s, kept when {@code cacheable} says the parse included nothing.
     */
    ConfigObject parse(String file, byte[] content, Supplier<ConfigObject> parse, Supplier<Boolean> cacheable) {
        Parsed p = enabled ? parsed.get(file) : null;
        if (p != null && Arrays.equals(p.content(), content)) {
            parseHits++;
            return p.object();
        }
        ConfigObject o = parse.get();
        if (enabled) {
            if (cacheable.get()) {
                parsed.put(file, new Parsed(content, o));
            } else {
                parsed.remove(file);
            }
        }
        return o;
    }

    /** The virtual server read last time from this very block over equal defaults, if clean. */
    VirtualServer virtualServer(String name, ConfigObject block, ConfigObject defaults, ConfigObject rsDefaults) {
        Read r = enabled ? read.get(name) : null;
        if (r != null && r.block() == block && r.defaults().equals(defaults)
                && r.realServerDefaults().equals(rsDefaults)) {
            readHits++;
            return r.vs();
        }
        return null;
    }

    /**
     * Keeps a clean reading of a virtual server whose block comes from a kept parse of an included
     * file: only such a block can be the very same object at the next load. A block of the main
     * file (parsed anew every load) was kept too, so the daemon held its whole parse tree between
     * reloads (at 100 x 100 most of the 64 MB heap), and a reload's parse on top of it ran out of heap.
     */
    void keep(String name, ConfigObject block, ConfigObject defaults, ConfigObject rsDefaults, VirtualServer vs) {
        String file = block.origin().filename();
        if (enabled && file != null && parsed.containsKey(file)) {
            read.put(name, new Read(block, defaults, rsDefaults, vs));
        }
    }

    /** Forgets every virtual server read for another engine than {@code engine} (their checks and defaults differ). */
    void engine(String engine) {
        if (!engine.equals(readFor)) {
            read.clear();
            readFor = engine;
        }
    }

    /** Forgets virtual servers not in {@code names} (after a load). */
    void retainVirtualServers(java.util.Set<String> names) {
        read.keySet().retainAll(names);
    }

    /** Included files reused without parsing, so far. */
    public long parseHits() {
        return parseHits;
    }

    /** Readings of virtual servers kept for the next load. */
    int keptReadings() {
        return read.size();
    }

    /** Virtual servers reused without reading, so far. */
    public long readHits() {
        return readHits;
    }
}
