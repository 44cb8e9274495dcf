package io.vipkeeper.appliance.dataplane;

import io.vipkeeper.appliance.ConfigName;

/** Transport protocol of a virtual service, with its IANA protocol number. */
public enum TransportProtocol implements ConfigName {
    TCP("tcp", 6),
    UDP("udp", 17),
    SCTP("sctp", 132);

    private final String configName;
    private final int number;

    TransportProtocol(String configName, int number) {
        this.configName = configName;
        this.number = number;
    }

    @Override
    public String configName() {
        return configName;
    }

    private static final TransportProtocol[] ALL = values();

    /** The protocol with IP protocol number {@code n}, if IPVS balances it. */
    public static java.util.Optional<TransportProtocol> ofNumber(int n) {
        // A loop, not a stream: engines ask once per table change (10,100 changes at 100 x 100).
        for (TransportProtocol p : ALL) {
            if (p.number == n) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    /** The IP protocol number. */
    public int number() {
        return number;
    }
}
