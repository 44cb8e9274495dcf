package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ConfigName;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One block of the config (an object merged over its defaults) read key by key with strict types.
 *
 * <p>Every getter records a problem at the value's file and line instead of throwing, and returns
 * {@code null} (or empty) so that reading goes on and one run reports every mistake. The keys a
 * reader asks for are the schema: {@link #checkUnknownKeys()} reports every other key, with the
 * nearest known one as a suggestion.
 */
final class ConfigNode {
    private final String path;
    /** The block, merged over its defaults unless {@link #fallback} is still to be merged. */
    private ConfigObject object;
    /**
     * The defaults of a block read {@link #over} them, merged key by key as keys are read rather
     * than as a whole: merging a whole block builds every value's merged origin (a description
     * string), and 10,000 real servers over their defaults were a seventh of a 100 x 100 load's
     * allocation. Null once merged whole (see {@link #object()}) or for a block without defaults.
     */
    private ConfigObject fallback;
    private final ConfigObject user;
    private final ConfigOrigin origin;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    /**
     * @param path dotted path for messages
     * @param object the block merged over its defaults (values are read from here)
     * @param user the block as the file wrote it, if it did (block origins are taken from here,
     *     since a merged block's origin names several places); null otherwise
     * @param problems where problems go
     */
    ConfigNode(String path, ConfigObject object, ConfigObject user, Problems problems) {
        this(path, object, null, user, problems);
    }

    private ConfigNode(String path, ConfigObject object, ConfigObject fallback, ConfigObject user, Problems problems) {
        this.path = path;
        this.object = object;
        this.fallback = fallback;
        this.user = user;
        this.origin = user != null ? user.origin() : object.origin();
        this.problems = problems;
    }

    /** The dotted path of this block, e.g. {@code vipkeeper.vrrp.instances.web}. */
    String path() {
        return path;
    }

    /** The dotted path of a key in this block. */
    String path(String key) {
        String index = "";
        int bracket = key.indexOf('[');
        if (bracket > 0 && key.endsWith("]")) {
            index = key.substring(bracket);
            key = key.substring(0, bracket);
        }
        return (path.isEmpty() ? "" : path + ".") + ConfigUtil.joinPath(key) + index;
    }

    /** Where the block was written (where a missing key is reported). */
    ConfigOrigin origin() {
        return origin;
    }

    /** Where a key's value was written, or the block's origin if it is absent. */
    ConfigOrigin originOf(String key) {
        ConfigValue v = get(key);
        return v != null ? v.origin() : origin;
    }

    Problems problems() {
        return problems;
    }

    /** Records a problem about {@code key}, at the line of its value. */
    void problem(String key, String message) {
        problems.add(originOf(key), path(key) + ": " + message);
    }

    /** Records a problem about the whole block, at the line where it starts. */
    void problemHere(String message) {
        problems.add(origin, path + ": " + message);
    }

    /** The value of a key, or null when it is absent or null; marks the key as known either way. */
    ConfigValue value(String key) {
        known.add(key);
        ConfigValue v = get(key);
        return v == null || v.valueType() == ConfigValueType.NULL ? null : v;
    }

    /**
     * The key's value in the block merged over its defaults: what {@code object.withFallback(
     * fallback).get(key)} gives, without merging the other keys. A value written in the block wins
     * (typesafe-config's resolved values ignore fallbacks), but two blocks merge.
     */
    private ConfigValue get(String key) {
        ConfigValue written = object.get(key);
        if (fallback == null) {
            return written;
        }
        ConfigValue defaults = fallback.get(key);
        if (written == null) {
            return defaults;
        }
        if (written instanceof ConfigObject w && defaults instanceof ConfigObject d) {
            return w.withFallback(d);
        }
        return written;
    }

    /**
     * Whether the file wrote {@code key} in this block itself (not a default): where a problem of
     * the block as a whole is best shown.
     */
    boolean written(String key) {
        return user != null && user.get(key) != null;
    }

    /** Whether a key has a non-null value. */
    boolean has(String key) {
        return value(key) != null;
    }

    private boolean required(String key, ConfigValue v) {
        if (v == null) {
            problemHere("missing required key " + key);
            return false;
        }
        return true;
    }

    /** A required string. */
    String string(String key) {
        ConfigValue v = value(key);
        return required(key, v) ? asString(key, v) : null;
    }

    /** A string where "" (the usual default) means "not set". */
    Optional<String> optionalString(String key) {
        ConfigValue v = value(key);
        String s = v == null ? null : asString(key, v);
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private String asString(String key, ConfigValue v) {
        if (v.valueType() != ConfigValueType.STRING) {
            problem(key, "expected a string, got " + describe(v));
            return null;
        }
        return (String) v.unwrapped();
    }

    /** A required whole number within {@code min..max}. */
    Integer integer(String key, long min, long max) {
        ConfigValue v = value(key);
        if (!required(key, v)) {
            return null;
        }
        Long n = wholeNumber(key, v);
        if (n == null) {
            return null;
        }
        if (n < min || n > max) {
            problem(key, n + " is out of range " + min + ".." + max);
            return null;
        }
        return n.intValue();
    }

    private Long wholeNumber(String key, ConfigValue v) {
        Object raw = v.unwrapped();
        if (v.valueType() == ConfigValueType.NUMBER && (raw instanceof Integer || raw instanceof Long)) {
            return ((Number) raw).longValue();
        }
        if (v.valueType() == ConfigValueType.STRING) {
            try {
                return Long.parseLong(((String) raw).trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problem(key, "expected a whole number, got " + describe(v));
        return null;
    }

    /** A required boolean (true/false, yes/no, on/off). */
    Boolean bool(String key) {
        ConfigValue v = value(key);
        if (!required(key, v)) {
            return null;
        }
        // What Config.getBoolean accepts (typesafe-config's DefaultTransformer), without building a
        // Config and parsing a path for every value: 10,000 real servers read several each.
        if (v.valueType() == ConfigValueType.BOOLEAN) {
            return (Boolean) v.unwrapped();
        }
        if (v.valueType() == ConfigValueType.STRING) {
            switch ((String) v.unwrapped()) {
                case "true", "yes", "on":
                    return Boolean.TRUE;
                case "false", "no", "off":
                    return Boolean.FALSE;
                default:
                    break;
            }
        }
        problem(key, "expected true or false, got " + describe(v));
        return null;
    }

    /**
     * A required duration with a unit (a bare number is refused: keepalived's "advert_int 1" means
     * seconds, HOCON's means milliseconds), within {@code min..max}.
     */
    Duration duration(String key, Duration min, Duration max) {
        ConfigValue v = value(key);
        if (!required(key, v)) {
            return null;
        }
        if (v.valueType() != ConfigValueType.STRING) {
            problem(key, "expected a duration with a unit such as 1s or 100ms, got " + describe(v));
            return null;
        }
        Duration d;
        try {
            // The value alone under a plain key: the block's Config and the key's path parse (the
            // key quoted for HOCON, then parsed back) cost more than the duration, several times a
            // real server.
            d = v.atKey("d").getDuration("d");
        } catch (ConfigException e) {
            problem(key, "expected a duration with a unit such as 1s or 100ms, got " + describe(v));
            return null;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            problem(key, v.unwrapped() + " is out of range " + Durations.format(min) + ".." + Durations.format(max));
            return null;
        }
        return d;
    }

    /** One of an enum's config spellings; an unknown one is reported with the valid ones listed. */
    <E extends Enum<E> & ConfigName> E enumValue(String key, Class<E> type) {
        String s = string(key);
        return s == null ? null : parseEnum(key, s, type);
    }

    /** Parses a config spelling of {@code type}, reporting a problem at {@code key} if unknown. */
    <E extends Enum<E> & ConfigName> E parseEnum(String key, String s, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.configName().equals(s)) {
                return e;
            }
        }
        List<String> valid = Arrays.stream(type.getEnumConstants()).map(ConfigName::configName).collect(Collectors.toList());
        problem(key, "unknown value \"" + s + "\"" + Suggestions.hint(s, valid) + "; valid: " + String.join(", ", valid));
        return null;
    }

    /** A list (required; the defaults give every list a value). */
    ConfigList list(String key) {
        ConfigValue v = value(key);
        if (!required(key, v)) {
            return null;
        }
        if (v.valueType() != ConfigValueType.LIST) {
            problem(key, "expected a list [ ... ], got " + describe(v));
            return null;
        }
        return (ConfigList) v;
    }

    /** A list of strings; elements of another type are reported one by one and left out. */
    List<Element<String>> stringList(String key) {
        ConfigList l = list(key);
        List<Element<String>> out = new ArrayList<>();
        if (l == null) {
            return out;
        }
        for (int i = 0; i < l.size(); i++) {
            ConfigValue e = l.get(i);
            if (e.valueType() == ConfigValueType.STRING) {
                out.add(new Element<>(key + "[" + i + "]", (String) e.unwrapped(), e.origin()));
            } else {
                problems.add(e.origin(), path(key) + "[" + i + "]: expected a string, got " + describe(e));
            }
        }
        return out;
    }

    /**
     * A nested block with no defaults of its own beyond what the merged tree already holds. If the
     * value is missing or not a block, that is reported once and the returned block is empty and
     * silent, so that its keys are not reported again as missing.
     */
    ConfigNode child(String key) {
        ConfigValue v = value(key);
        if (v != null && v.valueType() == ConfigValueType.OBJECT) {
            ConfigValue u = user == null ? null : user.get(key);
            ConfigObject written = u == null ? null : written(u, (ConfigObject) v);
            return new ConfigNode(path(key), (ConfigObject) v, written, problems);
        }
        if (v != null) {
            problem(key, "expected a block { ... }, got " + describe(v));
        } else {
            required(key, null);
        }
        // withOrigin, not fromMap(map, description): an origin rebuilt from its description has no
        // file and no line, and readers may report at this block (as defaults of real servers).
        return new ConfigNode(path(key), ConfigValueFactory.fromMap(Map.of()).withOrigin(origin), null,
                new Problems());
    }

    /**
     * The block as the file wrote it, or null when the file wrote something else there. A block
     * written through a substitution ({@code vrrp = ${?x}}, alone or merged with a block) cannot
     * be read unresolved (it threw NotResolved): its resolved value stands in, as for entries.
     */
    private static ConfigObject written(ConfigValue u, ConfigObject resolved) {
        try {
            return u.valueType() == ConfigValueType.OBJECT && ((ConfigObject) u).keySet() != null ? (ConfigObject) u
                    : null;
        } catch (ConfigException.NotResolved e) {
            return resolved;
        }
    }

    /**
     * A block of named entries (instances, virtual servers, ...), each read over {@code defaults}.
     * Entries that are not blocks are reported and left out.
     */
    Map<String, ConfigNode> entries(String key, ConfigObject defaults) {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        for (RawEntry e : rawEntries(key)) {
            ConfigNode entry = e.read(defaults);
            if (entry != null) {
                out.put(e.name(), entry);
            }
        }
        return out;
    }

    /**
     * An entry of a block of named entries, not yet merged over its defaults (a reader may reuse
     * an earlier reading of the very same block instead).
     *
     * @param block the block it is in
     * @param name its name
     * @param value its value as written
     */
    record RawEntry(ConfigNode block, String name, ConfigValue value) {
        /** The entry read over {@code defaults}; null (reported) when it is not a block. */
        ConfigNode read(ConfigObject defaults) {
            return block.over(name, value, defaults, block.path(name));
        }
    }

    /** The entries of a block of named entries in file order, each marked as a known key. */
    List<RawEntry> rawEntries(String key) {
        ConfigNode block = child(key);
        // HOCON objects are unordered; file order makes logs, status and start order predictable.
        List<Map.Entry<String, ConfigValue>> inFileOrder = ObjectEntries.of(block.object());
        inFileOrder.sort(java.util.Comparator.comparing((Map.Entry<String, ConfigValue> e) ->
                String.valueOf(e.getValue().origin().filename()))
                .thenComparingInt(e -> e.getValue().origin().lineNumber())
                .thenComparing(Map.Entry::getKey));
        List<RawEntry> out = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : inFileOrder) {
            block.known.add(e.getKey());
            out.add(new RawEntry(block, e.getKey(), e.getValue()));
        }
        return out;
    }

    /** A list of blocks, each read over {@code defaults}; other elements are reported and left out. */
    List<ConfigNode> objectList(String key, ConfigObject defaults) {
        ConfigList l = list(key);
        List<ConfigNode> out = new ArrayList<>();
        if (l != null) {
            for (int i = 0; i < l.size(); i++) {
                ConfigNode n = over(key + "[" + i + "]", l.get(i), defaults, path(key) + "[" + i + "]");
                if (n != null) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** A block read over defaults; null (with a problem) if the value is not a block. */
    ConfigNode over(String label, ConfigValue v, ConfigObject defaults, String childPath) {
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.add(v.origin(), childPath + ": expected a block { ... }, got " + describe(v));
            return null;
        }
        return new ConfigNode(childPath, (ConfigObject) v, defaults, (ConfigObject) v, problems);
    }

    /** The raw block, e.g. to serve as the defaults of nested blocks. */
    ConfigObject object() {
        if (fallback != null) {
            object = object.withFallback(fallback);
            fallback = null;
        }
        return object;
    }

    /**
     * Reports every key written in this very block that no reader asked for. Keys that came from a
     * defaults block are checked there (see {@link #probe()}), once, under the defaults' own path.
     */
    void checkUnknownKeys() {
        if (user == null) {
            return;
        }
        for (Map.Entry<String, ConfigValue> e : ObjectEntries.of(user)) {
            if (!known.contains(e.getKey())) {
                problems.addUnknownKey(e.getValue().origin(),
                        path(e.getKey()) + ": " + UnknownKeys.message(path, e.getKey(), known));
            }
        }
    }

    /**
     * This block read as if it were one of the entries it provides defaults for, reporting only
     * unknown keys: so a typo in {@code instance-defaults} is found even with no instance.
     */
    ConfigNode probe() {
        return new ConfigNode(path, object(), user, problems.unknownKeysOnly());
    }

    /** A value as an operator would recognise it in an error message. */
    static String describe(ConfigValue v) {
        switch (v.valueType()) {
            case STRING:
                return "\"" + v.unwrapped() + "\"";
            case OBJECT:
                return "a block { ... }";
            case LIST:
                return "a list [ ... ]";
            default:
                return v.render();
        }
    }

    /** A value read from a list, with its own position for error messages. */
    record Element<T>(String label, T value, ConfigOrigin origin) {
    }
}
