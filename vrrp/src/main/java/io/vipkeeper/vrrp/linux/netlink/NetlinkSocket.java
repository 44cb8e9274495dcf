package io.vipkeeper.vrrp.linux.netlink;

import static io.vipkeeper.vrrp.linux.LinuxConstants.*;

import io.vipkeeper.vrrp.linux.Errno;
import io.vipkeeper.vrrp.linux.Native;
import io.vipkeeper.vrrp.linux.SockAddr;
import io.vipkeeper.vrrp.linux.SyscallException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.byref.IntByReference;

/**
 * A blocking netlink socket (NETLINK_ROUTE or NETLINK_GENERIC) in the network namespace of the
 * thread that opened it: request/ACK matched by sequence number, multi-part dumps up to
 * NLMSG_DONE, errors as {@link NetlinkException}. One caller at a time: callers serialize (the
 * daemon runs all kernel requests on one executor).
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger((int) (System.nanoTime() & 0xffff));
    private static final int BUFFER = 1 << 16;
    /** Requests per datagram in {@link #requestAll}: their ACKs (a few hundred bytes of buffer each) fit 1 MiB. */
    private static final int BATCH_MESSAGES = 256;
    private static final int BATCH_BYTES = 48 * 1024;

    private final int fd;
    private final byte[] buffer = new byte[BUFFER];
    /** For {@link #requestAck}: an ACK, or an error echoing a small request. */
    private final byte[] ackBuffer = new byte[4096];
    private volatile boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /** Opens a socket of {@code protocol}, subscribed to {@code groups} (a bitmask, 0 for none). */
    public static NetlinkSocket open(int protocol, int groups, long receiveTimeoutMillis) {
        int fd = (int) Native.check(Native.LIBC.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol),
                "socket(netlink " + protocol + ")");
        NetlinkSocket s = new NetlinkSocket(fd);
        try {
            byte[] addr = SockAddr.netlink(0, groups);
            Native.check(Native.LIBC.bind(fd, addr, addr.length), "bind(netlink)");
            byte[] tv = SockAddr.timeval(receiveTimeoutMillis);
            Native.check(Native.LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, tv.length), "SO_RCVTIMEO");
            byte[] rcvbuf = SockAddr.intValue(1 << 20);
            // FORCE passes net.core.rmem_max (as root); otherwise the plain option caps at it.
            if (Native.LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf, rcvbuf.length) < 0) {
                Native.LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, rcvbuf.length);
            }
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A fresh sequence number. */
    public static int nextSeq() {
        return SEQ.incrementAndGet();
    }

    /**
     * Sends {@code message} (built with {@code seq}) and returns the replies carrying that seq:
     * for a dump every part before NLMSG_DONE, for a doit request the replies before the ACK.
     *
     * @throws NetlinkException on NLMSG_ERROR with a negative code
     * @throws SyscallException on socket errors (EAGAIN: no answer within the receive timeout)
     * @throws NetlinkFormatException on a malformed reply
     */
    public List<NetlinkMessage> request(byte[] message, int seq, String what) {
        List<NetlinkMessage> replies = new ArrayList<>();
        requestEach(message, seq, what, replies::add);
        return replies;
    }

    /**
     * The same, handing each reply to {@code each} as it is read instead of keeping them: a dump
     * of a large table (conntrack's hundreds of thousands of entries) then costs one receive
     * buffer's worth of messages at a time, not the whole table.
     */
    public void requestEach(byte[] message, int seq, String what, java.util.function.Consumer<NetlinkMessage> each) {
        send(message);
        while (true) {
            for (NetlinkMessage m : receive()) {
                if (m.seq() != seq) {
                    continue;
                }
                if (m.type() == NetlinkMessage.ERROR) {
                    int code = m.errorCode();
                    if (code != 0) {
                        throw new NetlinkException(what, -code);
                    }
                    return;
                }
                if (m.type() == NetlinkMessage.DONE) {
                    return;
                }
                if (m.type() == NetlinkMessage.OVERRUN) {
                    throw new NetlinkFormatException(what + ": overrun");
                }
                each.accept(m);
                if ((m.flags() & NetlinkMessageBuilder.NLM_F_MULTI) == 0
                        && (message.length >= 8 && (message[6] & NetlinkMessageBuilder.NLM_F_ACK) == 0)) {
                    return;
                }
            }
        }
    }

    /**
     * Sends a doit request answered by its ACK alone (an address add or removal) and waits for
     * that ACK, read into a small buffer: jnr copies the whole array on every receive, and the 64
     * KiB of {@link #request} cost a takeover's first GARP tens of microseconds.
     *
     * @return 0 if the kernel ACKed it, else the (positive) errno it answered
     * @throws SyscallException on socket errors (EAGAIN: no answer within the receive timeout)
     */
    public int requestAck(byte[] message, int seq) {
        send(message);
        while (true) {
            for (NetlinkMessage m : receiveInto(ackBuffer)) {
                if (m.seq() == seq && m.type() == NetlinkMessage.ERROR) {
                    return -m.errorCode();
                }
            }
        }
    }

    /**
     * Sends doit requests (each built with REQUEST|ACK and its own seq) packed several to a
     * datagram, so a large change costs few system calls, and collects every ACK. The kernel
     * handles the messages of one datagram in order and answers each, so a failed one does not
     * stop the rest. Chunks stay small enough that their ACKs fit the receive buffer.
     *
     * @return per request, in order: 0 if ACKed, else the positive errno
     */
    public int[] requestAll(List<byte[]> messages) {
        int[] result = new int[messages.size()];
        int from = 0;
        while (from < messages.size()) {
            int to = from;
            int bytes = 0;
            while (to < messages.size() && to - from < BATCH_MESSAGES
                    && (to == from || bytes + messages.get(to).length <= BATCH_BYTES)) {
                bytes += messages.get(to++).length;
            }
            byte[] datagram = new byte[bytes];
            java.util.Map<Integer, Integer> pending = new java.util.HashMap<>();
            int at = 0;
            for (int i = from; i < to; i++) {
                byte[] m = messages.get(i);
                System.arraycopy(m, 0, datagram, at, m.length);
                at += m.length;
                pending.put(seqOf(m), i);
            }
            send(datagram);
            while (!pending.isEmpty()) {
                for (NetlinkMessage m : receive()) {
                    Integer index = m.type() == NetlinkMessage.ERROR ? pending.remove(m.seq()) : null;
                    if (index != null) {
                        result[index] = -m.errorCode();
                    }
                }
            }
            from = to;
        }
        return result;
    }

    private static int seqOf(byte[] message) {
        return (message[8] & 0xff) | (message[9] & 0xff) << 8 | (message[10] & 0xff) << 16 | (message[11] & 0xff) << 24;
    }

    /** Sends raw bytes to the kernel. */
    public void send(byte[] message) {
        byte[] kernel = SockAddr.netlink(0, 0);
        Native.check(Native.LIBC.sendto(fd, message, message.length, 0, kernel, kernel.length), "sendto(netlink)");
    }

    /** Blocks for one datagram (up to the receive timeout) and splits it into messages. */
    public List<NetlinkMessage> receive() {
        return receiveInto(buffer);
    }

    private List<NetlinkMessage> receiveInto(byte[] into) {
        byte[] from = new byte[12];
        IntByReference fromLen = new IntByReference(12);
        long n = Native.LIBC.recvfrom(fd, into, into.length, 0, from, fromLen);
        if (n < 0) {
            throw new SyscallException("recvfrom(netlink)", Native.errno());
        }
        return NetlinkMessage.parseAll(into, (int) n);
    }

    /** Whether {@code e} is the receive timeout rather than a failure. */
    public static boolean isTimeout(SyscallException e) {
        return e.is(Errno.EAGAIN);
    }

    /** Closes the socket; a thread blocked in receive returns with an error. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.LIBC.close(fd);
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }
}
