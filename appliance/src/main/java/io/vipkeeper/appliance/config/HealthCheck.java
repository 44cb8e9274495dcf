package io.vipkeeper.appliance.config;

import io.vipkeeper.appliance.ConfigName;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a real server's health is checked.
 *
 * <p>Only the settings of the check's own type are kept (the others are empty), so two checks are
 * equal exactly when they probe the same way: a reload that changes nothing a check uses keeps it.
 *
 * @param type what the check does
 * @param interval time between checks
 * @param timeout a check taking longer fails
 * @param rise consecutive successes that bring a server up
 * @param fall consecutive failures that take it down
 * @param connectAddress where the check connects; empty = the real server's address
 * @param connectPort where the check connects; empty = the real server's port
 * @param initialState the state before the checks have decided
 * @param http request and expected answer of http and https checks
 * @param tls the TLS side of https checks
 * @param udp datagram and expected answer of udp checks
 * @param dns query of dns checks
 * @param script program of script checks (its timeout is the check's)
 */
public record HealthCheck(HealthCheckType type, Duration interval, Duration timeout, int rise, int fall,
        Optional<InetAddress> connectAddress, OptionalInt connectPort, InitialState initialState,
        Optional<Http> http, Optional<Tls> tls, Optional<Udp> udp, Optional<Dns> dns, Optional<Program> script) {

    /** The kinds of check. */
    public enum HealthCheckType implements ConfigName {
        /** Always up (keepalived's real_server without a checker). */
        NONE("none"),
        TCP("tcp"),
        HTTP("http"),
        HTTPS("https"),
        UDP("udp"),
        DNS("dns"),
        SCRIPT("script");

        private final String configName;

        HealthCheckType(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }

        /** Whether the check connects to a port (so a real server without one needs connect-port). */
        public boolean usesPort() {
            return this != NONE && this != SCRIPT;
        }
    }

    /** A real server's state before its checks have decided. */
    public enum InitialState implements ConfigName {
        UP("up"),
        DOWN("down");

        private final String configName;

        InitialState(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    /**
     * What an http or https check asks and accepts.
     *
     * @param path the request target, starting with {@code /}
     * @param virtualHost the Host header; empty = the connect address
     * @param status the status codes that count as up
     * @param bodyRegex a regular expression that must be found in the body
     * @param bodySha256 the SHA-256 the whole body must have, as 64 lower-case hex digits
     */
    public record Http(String path, Optional<String> virtualHost, List<StatusRange> status,
            Optional<String> bodyRegex, Optional<String> bodySha256) {
        public Http {
            status = List.copyOf(status);
        }

        /** Whether {@code code} counts as up. */
        public boolean accepts(int code) {
            return status.stream().anyMatch(r -> r.contains(code));
        }
    }

    /**
     * An HTTP status code or an inclusive range of them.
     *
     * @param from the lowest accepted code
     * @param to the highest accepted code
     */
    public record StatusRange(int from, int to) {
        boolean contains(int code) {
            return code >= from && code <= to;
        }

        @Override
        public String toString() {
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }

    /**
     * The TLS side of an https check.
     *
     * @param sni the server name sent; empty = the virtual host, else none for an address
     * @param caFile PEM file of the certificates to trust; empty = the JDK's trust store
     * @param verify whether the server's certificate and name are verified at all
     */
    public record Tls(Optional<String> sni, Optional<String> caFile, boolean verify) {
    }

    /**
     * What a udp check sends and expects.
     *
     * @param payload the datagram sent (may be empty)
     * @param expect bytes the reply must contain; empty = no reply needed, only no ICMP refusal
     */
    public record Udp(Bytes payload, Optional<Bytes> expect) {
    }

    /**
     * What a dns check asks.
     *
     * @param name the name queried
     * @param type the record type that must be answered
     */
    public record Dns(String name, DnsType type) {
    }

    /** The record types a dns check may ask for (numbers: RFC 1035 3.2.2, RFC 3596, RFC 2782). */
    public enum DnsType implements ConfigName {
        A("A", 1),
        NS("NS", 2),
        CNAME("CNAME", 5),
        SOA("SOA", 6),
        PTR("PTR", 12),
        MX("MX", 15),
        TXT("TXT", 16),
        AAAA("AAAA", 28),
        SRV("SRV", 33);

        private final String configName;
        private final int code;

        DnsType(String configName, int code) {
            this.configName = configName;
            this.code = code;
        }

        @Override
        public String configName() {
            return configName;
        }

        /** The TYPE value on the wire. */
        public int code() {
            return code;
        }
    }

    /** Immutable bytes with value equality (records compare arrays by identity). */
    public record Bytes(List<Byte> list) {
        public Bytes {
            list = List.copyOf(list);
        }

        /** Wraps a copy of {@code bytes}. */
        public static Bytes of(byte[] bytes) {
            Byte[] boxed = new Byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                boxed[i] = bytes[i];
            }
            return new Bytes(List.of(boxed));
        }

        /** A fresh array of the bytes. */
        public byte[] toArray() {
            byte[] out = new byte[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
            }
            return out;
        }
    }
}
