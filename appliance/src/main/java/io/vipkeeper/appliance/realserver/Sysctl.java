package io.vipkeeper.appliance.realserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * An integer kernel tunable under /proc/sys, named as sysctl(8) names it
 * ({@code net.ipv4.conf.eth0.arp_ignore}; a dot inside an interface name is written '/', so
 * VLAN eth0.100 is {@code net.ipv4.conf.eth0/100.arp_ignore}). Files under /proc/sys/net belong to
 * the network namespace of the process, which is what lets the tests run in their own.
 *
 * @param name the dotted name
 */
public record Sysctl(String name) {
    private static final Path ROOT = Path.of("/proc/sys");
    // A part may not start with '/': it would map to "." or ".." and leave /proc/sys/net.
    private static final Pattern NAME = Pattern.compile("net(\\.[^./\\s][^.\\s]*)+");

    /** Only names under net: the state file names the sysctls that {@code down} writes. */
    public Sysctl {
        if (!NAME.matcher(name).matches()) {
            throw new RealServerException("\"" + name + "\" is not a sysctl under net");
        }
    }

    /** {@code net.ipv4.conf.IFACE.KEY}. */
    public static Sysctl ipv4Conf(String iface, String key) {
        return new Sysctl("net.ipv4.conf." + iface.replace('.', '/') + "." + key);
    }

    /** The file below /proc/sys: dots become slashes and slashes dots, as sysctl(8) maps them. */
    public String relativePath() {
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            b.append(c == '.' ? '/' : c == '/' ? '.' : c);
        }
        return b.toString();
    }

    /** Whether the file exists (an interface's go with the interface). */
    public boolean exists() {
        return Files.exists(ROOT.resolve(relativePath()));
    }

    /** The current value. */
    public int read() {
        try {
            return Integer.parseInt(Files.readString(ROOT.resolve(relativePath()), StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw RealServerException.because("cannot read " + name, e);
        } catch (NumberFormatException e) {
            throw new RealServerException("cannot read " + name + ": not an integer");
        }
    }

    /** Sets the value. */
    public void write(int value) {
        try {
            // Written in place: a /proc/sys file takes its value in one write, and cannot be renamed over.
            Files.writeString(ROOT.resolve(relativePath()), value + "\n", StandardCharsets.US_ASCII);
        } catch (AccessDeniedException e) {
            throw new RealServerException("cannot set " + name + ": permission denied (needs root or CAP_NET_ADMIN)");
        } catch (IOException e) {
            throw RealServerException.because("cannot set " + name, e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
