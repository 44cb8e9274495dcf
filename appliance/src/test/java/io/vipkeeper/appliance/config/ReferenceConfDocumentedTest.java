package io.vipkeeper.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every key with a value in reference.conf has a comment right above it (unit, allowed values). */
class ReferenceConfDocumentedTest {
    private static final Pattern LEAF = Pattern.compile("^\\s*[a-z][a-z0-9-]*\\s*=.*");

    @Test
    void everyKeyIsCommented() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/reference.conf")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<String> undocumented = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (LEAF.matcher(lines.get(i)).matches() && !lines.get(i - 1).trim().startsWith("#")) {
                undocumented.add((i + 1) + ": " + lines.get(i).trim());
            }
        }
        assertEquals(List.of(), undocumented);
    }
}
