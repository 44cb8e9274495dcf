package io.vipkeeper.appliance.api;

/**
 * The API's JSON names its keys in camelCase, map keys too: a protocol label such as a drop reason
 * ({@code unknown_vrid}) becomes {@code unknownVrid} there, and back to the label for Prometheus,
 * whose label values stay snake_case as its conventions ask.
 */
public final class JsonNames {
    private JsonNames() {
    }

    /** {@code unknown_vrid} → {@code unknownVrid}; a name without underscores is unchanged. */
    public static String camel(String label) {
        StringBuilder sb = new StringBuilder(label.length());
        boolean up = false;
        for (char c : label.toCharArray()) {
            if (c == '_') {
                up = sb.length() > 0;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    /** {@code unknownVrid} → {@code unknown_vrid}: the inverse of {@link #camel} for lower-case labels. */
    public static String snake(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 4);
        for (char c : key.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
