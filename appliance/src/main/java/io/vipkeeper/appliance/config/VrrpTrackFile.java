package io.vipkeeper.appliance.config;

import java.nio.file.Path;

/**
 * A tracked file: an entry of {@code vrrp.track-files} (keepalived's track_file). The integer in
 * the file times the weight is added to the priority of the instances that track it.
 *
 * @param name the entry's name, referenced by an instance's {@code track-files}
 * @param file the absolute path watched
 * @param weight multiplies the value; 0 means any non-zero value is a FAULT
 * @param reverse negates the product (keepalived's "weight W reverse")
 */
public record VrrpTrackFile(String name, Path file, int weight, boolean reverse) {
}
