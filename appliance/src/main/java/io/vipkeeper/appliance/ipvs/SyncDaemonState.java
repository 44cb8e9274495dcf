package io.vipkeeper.appliance.ipvs;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One IPVS connection sync daemon ({@code ipvsadm --start-daemon}), as started or as the kernel
 * reports it. In a request 0 (or no group) leaves an option to the kernel's default; a reply
 * carries the values in force (0 from kernels before 4.3, which have none of these options).
 *
 * @param state {@link #MASTER} or {@link #BACKUP}
 * @param interfaceName where sync messages are sent or received
 * @param syncId the sync id, so several pairs can share a segment
 * @param maxLength IPVS_DAEMON_ATTR_SYNC_MAXLEN: the largest sync message's UDP payload
 * @param group IPVS_DAEMON_ATTR_MCAST_GROUP / _GROUP6: the multicast group
 * @param port IPVS_DAEMON_ATTR_MCAST_PORT: the UDP port
 * @param ttl IPVS_DAEMON_ATTR_MCAST_TTL: the TTL / hop limit
 */
public record SyncDaemonState(int state, String interfaceName, int syncId, int maxLength, Optional<InetAddress> group,
        int port, int ttl) {
    /** IP_VS_STATE_MASTER: sends the connection table. */
    public static final int MASTER = 1;
    /** IP_VS_STATE_BACKUP: receives it. */
    public static final int BACKUP = 2;
    /** The kernel's defaults (ip_vs_sync.c): IP_VS_SYNC_GROUP, IP_VS_SYNC_PORT, a TTL of 1. */
    public static final String DEFAULT_GROUP = "224.0.0.81";
    public static final int DEFAULT_PORT = 8848;
    public static final int DEFAULT_TTL = 1;
    /** The smallest max length a backup daemon takes (start_sync_thread clamps to it). */
    public static final int BACKUP_MIN_LENGTH = 1024;

    /** A daemon with the kernel's defaults for the message options. */
    public SyncDaemonState(int state, String interfaceName, int syncId) {
        this(state, interfaceName, syncId, 0, Optional.empty(), 0, 0);
    }

    /** "master" or "backup". */
    public String stateName() {
        return stateName(state);
    }

    /** "master" for {@link #MASTER}, else "backup". */
    public static String stateName(int state) {
        return state == MASTER ? "master" : "backup";
    }

    /** This daemon in another state. */
    public SyncDaemonState inState(int other) {
        return new SyncDaemonState(other, interfaceName, syncId, maxLength, group, port, ttl);
    }

    /**
     * Whether {@code running}, as the kernel reports it, is this daemon as started: an option left
     * to the kernel matches its default (a max length left to it matches any, since it follows the
     * MTU), and a backup's max length as the kernel raised it to its floor.
     */
    public boolean isRunAs(SyncDaemonState running) {
        if (state != running.state || !interfaceName.equals(running.interfaceName) || syncId != running.syncId) {
            return false;
        }
        if (running.port == 0 && running.ttl == 0 && running.maxLength == 0 && running.group.isEmpty()) {
            return true; // a kernel before 4.3 reports no options (and takes none)
        }
        int length = state == BACKUP ? Math.max(maxLength, BACKUP_MIN_LENGTH) : maxLength;
        boolean groupOk = group.isPresent() ? group.equals(running.group)
                : running.group.isEmpty() || running.group.get().getHostAddress().equals(DEFAULT_GROUP);
        return (maxLength == 0 || length == running.maxLength) && groupOk
                && (port == 0 ? DEFAULT_PORT : port) == running.port && (ttl == 0 ? DEFAULT_TTL : ttl) == running.ttl;
    }

    /** The options as ipvsadm lists them: {@code maxlen=1000, group=224.0.0.81, port=8848, ttl=1}, only those set. */
    public String options() {
        StringBuilder b = new StringBuilder();
        if (maxLength != 0) {
            b.append(", maxlen=").append(maxLength);
        }
        group.ifPresent(g -> b.append(", group=").append(g.getHostAddress()));
        if (port != 0) {
            b.append(", port=").append(port);
        }
        if (ttl != 0) {
            b.append(", ttl=").append(ttl);
        }
        return b.length() == 0 ? "" : b.substring(2);
    }
}
