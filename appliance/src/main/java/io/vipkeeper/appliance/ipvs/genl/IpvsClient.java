package io.vipkeeper.appliance.ipvs.genl;

import io.vipkeeper.appliance.dataplane.BackendKey;
import io.vipkeeper.appliance.ipvs.IpvsInfo;
import io.vipkeeper.appliance.ipvs.IpvsKernel;
import io.vipkeeper.appliance.dataplane.TableChange;
import io.vipkeeper.appliance.ipvs.IpvsTimeouts;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import io.vipkeeper.appliance.ipvs.SyncDaemonState;
import io.vipkeeper.vrrp.linux.LinuxConstants;
import io.vipkeeper.vrrp.linux.netlink.GenericNetlink;
import io.vipkeeper.vrrp.linux.netlink.NetlinkException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkFormatException;
import io.vipkeeper.vrrp.linux.netlink.NetlinkMessage;
import io.vipkeeper.vrrp.linux.netlink.NetlinkSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Typed IPVS commands over generic netlink in the caller's network namespace (keepalived's
 * libipvs): table dumps, batched changes, timeouts, sync daemons. Blocking and single-threaded,
 * like the {@link NetlinkSocket} under it.
 */
public final class IpvsClient implements IpvsKernel {
    private final NetlinkSocket socket;
    private final int family;

    private IpvsClient(NetlinkSocket socket, int family) {
        this.socket = socket;
        this.family = family;
    }

    /**
     * Opens a generic netlink socket and resolves the IPVS family.
     *
     * @throws NetlinkException saying so when the kernel has no IPVS
     */
    public static IpvsClient open() {
        NetlinkSocket socket = NetlinkSocket.open(LinuxConstants.NETLINK_GENERIC, 0, 5000);
        try {
            return new IpvsClient(socket, GenericNetlink.resolve(socket, Ipvs.FAMILY).id());
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Every service with its destinations and counters, in the kernel's order. */
    @Override
    public Map<ServiceKey, ActualService> table() {
        Map<ServiceKey, ActualService> table = new LinkedHashMap<>();
        for (NetlinkMessage m : doit(seq -> IpvsMessages.dumpServices(family, seq), "GET_SERVICE dump")) {
            ServiceSpec spec = IpvsReplies.service(m);
            table.put(spec.key(), new ActualService(spec, dests(spec.key()), IpvsReplies.serviceStats(m)));
        }
        return table;
    }

    /** Every service with its counters but without its destinations (one dump, one message a service), in the kernel's order. */
    public List<ActualService> services() {
        List<ActualService> services = new ArrayList<>();
        for (NetlinkMessage m : doit(seq -> IpvsMessages.dumpServices(family, seq), "GET_SERVICE dump")) {
            services.add(new ActualService(IpvsReplies.service(m), Map.of(), IpvsReplies.serviceStats(m)));
        }
        return services;
    }

    /** The destinations of one service. */
    public Map<BackendKey, ActualBackend> dests(ServiceKey service) {
        Map<BackendKey, ActualBackend> dests = new LinkedHashMap<>();
        for (NetlinkMessage m : doit(seq -> IpvsMessages.dumpDests(family, service, seq), "GET_DEST " + service)) {
            ActualBackend d = IpvsReplies.dest(m, service.ipv6());
            dests.put(d.spec().key(), d);
        }
        return dests;
    }

    /**
     * Carries out {@code ops} in order, many per system call; a refused one does not stop the
     * others.
     *
     * @return the refused ones, with the kernel's error
     */
    @Override
    public List<Failure> apply(List<TableChange> ops) {
        List<byte[]> messages = new ArrayList<>(ops.size());
        for (TableChange op : ops) {
            messages.add(IpvsMessages.encode(family, op, NetlinkSocket.nextSeq()));
        }
        int[] errors = socket.requestAll(messages);
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] != 0) {
                failures.add(new Failure(ops.get(i), new NetlinkException(TableChange.describe(ops.get(i)), errors[i])));
            }
        }
        return failures;
    }

    /** Carries out one change, throwing the kernel's refusal. */
    public void apply(TableChange op) {
        doit(seq -> IpvsMessages.encode(family, op, seq), TableChange.describe(op));
    }

    /** The kernel's IPVS version and table size. */
    public IpvsInfo info() {
        return IpvsReplies.info(single(doit(seq -> IpvsMessages.getInfo(family, seq), "GET_INFO"), "GET_INFO"));
    }

    /** The connection timeouts. */
    @Override
    public IpvsTimeouts timeouts() {
        return IpvsReplies.timeouts(single(doit(seq -> IpvsMessages.getConfig(family, seq), "GET_CONFIG"),
                "GET_CONFIG"));
    }

    /** Sets the connection timeouts (0 keeps one as it is). */
    @Override
    public void setTimeouts(IpvsTimeouts t) {
        doit(seq -> IpvsMessages.setConfig(family, t, seq), "SET_CONFIG");
    }

    /** The running sync daemons (at most one master and one backup). */
    @Override
    public List<SyncDaemonState> syncDaemons() {
        List<SyncDaemonState> daemons = new ArrayList<>();
        for (NetlinkMessage m : doit(seq -> IpvsMessages.dumpDaemons(family, seq), "GET_DAEMON dump")) {
            daemons.add(IpvsReplies.daemon(m));
        }
        return daemons;
    }

    /** Starts a sync daemon. */
    @Override
    public void startSyncDaemon(SyncDaemonState d) {
        doit(seq -> IpvsMessages.newDaemon(family, d, seq), "NEW_DAEMON " + d.stateName() + " on " + d.interfaceName());
    }

    /** Stops the sync daemon of {@code state}. */
    @Override
    public void stopSyncDaemon(int state) {
        doit(seq -> IpvsMessages.delDaemon(family, state, seq), "DEL_DAEMON " + SyncDaemonState.stateName(state));
    }

    /** Removes every service (ipvsadm -C); for tests and benchmarks, never used by the daemon. */
    public void flush() {
        doit(seq -> IpvsMessages.flush(family, seq), "FLUSH");
    }

    /** Sends the request {@code build} makes for a fresh seq; returns the replies (dump parts or doit answer). */
    private List<NetlinkMessage> doit(IntFunction<byte[]> build, String what) {
        int seq = NetlinkSocket.nextSeq();
        return socket.request(build.apply(seq), seq, what);
    }

    private static NetlinkMessage single(List<NetlinkMessage> replies, String what) {
        if (replies.isEmpty()) {
            throw new NetlinkFormatException(what + ": no reply before the ACK");
        }
        return replies.get(0);
    }

    @Override
    public void close() {
        socket.close();
    }
}
