package io.vipkeeper.appliance.ipvs;

/**
 * The kernel's IPVS connection timeouts ({@code ipvsadm --set tcp tcpfin udp}); 0 in a SET leaves
 * that timeout as it is.
 *
 * @param tcpSeconds established TCP connections
 * @param tcpFinSeconds TCP connections after a FIN
 * @param udpSeconds UDP "connections"
 */
public record IpvsTimeouts(long tcpSeconds, long tcpFinSeconds, long udpSeconds) {
}
