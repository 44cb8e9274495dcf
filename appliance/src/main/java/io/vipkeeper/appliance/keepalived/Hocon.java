package io.vipkeeper.appliance.keepalived;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The vipkeeper config an import writes, as an ordered tree of fields and comments, rendered as
 * HOCON the way a person lays it out: two-space indents, a comment above what it explains, short
 * lists on one line, objects in lists one key a line.
 */
public final class Hocon {
    /** A value written as is (durations such as {@code 2s}, keywords such as {@code wrr}). */
    public record Raw(String text) {
    }

    private record Field(String key, Object value, List<String> comments) {
    }

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final int ONE_LINE = 100;

    private final List<Object> entries = new ArrayList<>();
    private List<String> pending = new ArrayList<>();

    /** A comment line written above the next field. */
    public Hocon comment(String text) {
        pending.add(text);
        return this;
    }

    /** A field; a later field with the same key is written again (HOCON merges objects). */
    public Hocon put(String key, Object value) {
        entries.add(new Field(key, value, pending));
        pending = new ArrayList<>();
        return this;
    }

    /** The child block {@code key}, created at this point on first use. */
    public Hocon block(String key) {
        for (Object e : entries) {
            if (e instanceof Field f && f.key.equals(key) && f.value instanceof Hocon h) {
                return h;
            }
        }
        Hocon child = new Hocon();
        put(key, child);
        return child;
    }

    /** A copy of this block with one more field. */
    public Hocon copyWith(String key, Object value) {
        Hocon copy = new Hocon();
        copy.entries.addAll(entries);
        return copy.put(key, value);
    }

    /** Calls {@code action} with each field in order. */
    public void forEach(java.util.function.BiConsumer<String, Object> action) {
        for (Object e : entries) {
            Field f = (Field) e;
            action.accept(f.key, f.value);
        }
    }

    /** Whether nothing was put. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The whole tree as HOCON text. */
    public String render() {
        StringBuilder out = new StringBuilder();
        write(out, 0);
        return out.toString();
    }

    private void write(StringBuilder out, int indent) {
        String pad = "  ".repeat(indent);
        for (Object e : entries) {
            Field f = (Field) e;
            if (f.value instanceof Hocon h && h.entries.isEmpty() && f.comments.isEmpty()) {
                continue;
            }
            for (String c : f.comments) {
                out.append(pad).append(c.isEmpty() ? "" : "# " + c).append('\n');
            }
            out.append(pad).append(key(f.key));
            if (f.value instanceof Hocon h) {
                out.append(" {\n");
                h.write(out, indent + 1);
                out.append(pad).append("}\n");
            } else {
                out.append(" = ").append(value(f.value, indent)).append('\n');
            }
        }
        for (String c : pending) {
            out.append(pad).append("# ").append(c).append('\n');
        }
    }

    /** {@code { a = 1, b = 2 }} for a short block of plain values without comments; else null. */
    private String inline() {
        List<String> parts = new ArrayList<>();
        for (Object e : entries) {
            Field f = (Field) e;
            if (!f.comments.isEmpty() || f.value instanceof Hocon || f.value instanceof List<?>) {
                return null;
            }
            parts.add(key(f.key) + " = " + value(f.value, 0));
        }
        String line = "{ " + String.join(", ", parts) + " }";
        return pending.isEmpty() && line.length() <= ONE_LINE / 2 ? line : null;
    }

    private static String key(String key) {
        return PLAIN_KEY.matcher(key).matches() ? key : quote(key);
    }

    private static String value(Object v, int indent) {
        if (v instanceof Raw r) {
            return r.text();
        }
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof Hocon h) {
            String inline = h.inline();
            if (inline != null) {
                return inline;
            }
            StringBuilder out = new StringBuilder("{\n");
            h.write(out, indent + 1);
            return out.append("  ".repeat(indent)).append('}').toString();
        }
        if (v instanceof List<?> list) {
            List<String> items = list.stream().map(i -> value(i, indent + 1)).toList();
            String line = "[" + String.join(", ", items) + "]";
            if (line.length() <= ONE_LINE && !line.contains("\n")) {
                return line;
            }
            String pad = "  ".repeat(indent + 1);
            StringBuilder out = new StringBuilder("[\n");
            items.forEach(i -> out.append(pad).append(i).append('\n'));
            return out.append("  ".repeat(indent)).append(']').toString();
        }
        return String.valueOf(v);
    }

    /** A HOCON (JSON) quoted string. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
