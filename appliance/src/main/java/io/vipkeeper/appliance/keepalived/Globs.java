package io.vipkeeper.appliance.keepalived;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * glob(3) as keepalived calls it for {@code include} (with GLOB_BRACE): a pattern expanded segment
 * by segment, sorted, names starting with a dot matched only by a pattern that starts with one.
 */
final class Globs {
    private Globs() {
    }

    /** The files {@code pattern} matches, relative patterns resolved against {@code base}; sorted. */
    static List<Path> expand(Path base, String pattern) {
        List<Path> current = List.of(base);
        String[] segments = pattern.split("/");
        for (int s = 0; s < segments.length; s++) {
            String segment = segments[s];
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            boolean last = s == segments.length - 1;
            List<Path> next = new ArrayList<>();
            for (Path dir : current) {
                if (!hasWildcard(segment)) {
                    Path p = dir.resolve(segment);
                    if (last ? Files.isRegularFile(p) : Files.isDirectory(p)) {
                        next.add(p);
                    }
                    continue;
                }
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, segment)) {
                    for (Path p : stream) {
                        boolean hidden = p.getFileName().toString().startsWith(".") && !segment.startsWith(".");
                        if (!hidden && (last ? Files.isRegularFile(p) : Files.isDirectory(p))) {
                            next.add(p);
                        }
                    }
                } catch (IOException e) {
                    // glob(3) without GLOB_ERR skips a directory it cannot read; so does keepalived.
                }
            }
            next.sort(null);
            current = next;
        }
        return current.equals(List.of(base)) ? List.of() : current;
    }

    private static boolean hasWildcard(String segment) {
        return segment.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
    }
}
