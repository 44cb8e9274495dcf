package io.vipkeeper.appliance.vrrp;

import io.vipkeeper.appliance.config.VrrpTrackFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What a track-file holds and what it does to a priority, as keepalived's track_file.c: the
 * number C's strtol (base 0) reads from its first 127 bytes, 0 for a missing, unreadable or empty
 * file; a value outside 32 bits is refused. The effect is value times weight (negated by reverse)
 * added to the priority, FAULT below -253; with weight 0 any value but 0 (with reverse: 0) is FAULT.
 */
final class TrackFileValue {
    /** keepalived reads at most this much (a 128-byte buffer with its NUL). */
    private static final int MAX_READ = 127;
    /** A product below this is FAULT (keepalived's -253). */
    private static final int FAULT_BELOW = -253;

    private TrackFileValue() {
    }

    /** What the file adds to the priority, or the fault it raises. */
    record Effect(int delta, String fault) {
    }

    /** The value in {@code file}: empty when it is a number outside 32 bits (keep the last one). */
    static OptionalLong read(Path file) {
        // Regular files only (through any symbolic link): opening a FIFO waits for a writer, and it
        // froze the VRRP loop (found by review); a device or directory says nothing either. Read
        // as unreadable: 0, as keepalived reads a file it cannot.
        if (!Files.isRegularFile(file)) {
            return OptionalLong.of(0);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAX_READ);
        } catch (IOException | SecurityException e) {
            return OptionalLong.of(0);
        }
        return parse(new String(head, StandardCharsets.US_ASCII));
    }

    /** strtol(text, NULL, 0): blanks, a sign, 0x hex / 0 octal / decimal digits; no digits reads 0. */
    static OptionalLong parse(String text) {
        int i = 0;
        while (i < text.length() && " \t\n\r\f\u000b".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (text.startsWith("0x", i) || text.startsWith("0X", i)) {
            if (i + 2 < text.length() && Character.digit(text.charAt(i + 2), 16) >= 0) {
                radix = 16;
                i += 2;
            }
        } else if (text.startsWith("0", i)) {
            radix = 8;
        }
        long value = 0;
        for (; i < text.length() && Character.digit(text.charAt(i), radix) >= 0; i++) {
            value = value * radix + Character.digit(text.charAt(i), radix);
            if (value > (1L << 32)) {
                return OptionalLong.empty();
            }
        }
        value = negative ? -value : value;
        // keepalived's bounds: INT32_MIN .. INT32_MAX + 1.
        return value < Integer.MIN_VALUE || value > Integer.MAX_VALUE + 1L ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** What {@code value} in {@code f} does to the instances tracking it. */
    static Effect effect(VrrpTrackFile f, long value) {
        String where = f.file() + " holds " + value;
        if (f.weight() == 0) {
            boolean fault = f.reverse() ? value == 0 : value != 0;
            return new Effect(0, fault ? where : null);
        }
        long product = value * f.weight() * (f.reverse() ? -1 : 1);
        if (product < FAULT_BELOW) {
            return new Effect(0, where + " (" + product + " with weight " + f.weight() + ", below " + FAULT_BELOW + ")");
        }
        return new Effect((int) Math.min(product, 254), null);
    }
}
