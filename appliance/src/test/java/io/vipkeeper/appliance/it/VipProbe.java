package io.vipkeeper.appliance.it;

import static io.vipkeeper.vrrp.linux.LinuxConstants.AF_INET;
import static io.vipkeeper.vrrp.linux.LinuxConstants.SIOCGSTAMPNS;
import static io.vipkeeper.vrrp.linux.LinuxConstants.SOCK_RAW;
import static io.vipkeeper.vrrp.linux.LinuxConstants.SOL_SOCKET;
import static io.vipkeeper.vrrp.linux.LinuxConstants.SO_RCVTIMEO;

import io.vipkeeper.appliance.vm.NamespaceThreads;
import io.vipkeeper.vrrp.linux.Native;
import io.vipkeeper.vrrp.linux.SockAddr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * A client probing the VIP with an ICMP echo request every millisecond, whether or not replies
 * come, from a raw socket opened in the client namespace; it records the kernel's arrival time of
 * every reply. The outage is the longest gap between two replies.
 *
 * <p>Not iputils ping: while replies are missing it waits up to 10 ms between requests (its
 * MININTERVAL), so during an outage it probed every 10 ms and the first reply after a takeover
 * came on that coarse grid rather than within a millisecond.
 */
final class VipProbe implements AutoCloseable {
    private static final int IPPROTO_ICMP = 1;
    private static final long PERIOD_NANOS = 1_000_000;
    private static final int SENT_RING = 8192;
    /** SIOCINQ (FIONREAD): the size of the datagram waiting in the socket, 0 when none. */
    private static final long SIOCINQ = 0x541B;
    private final int fd;
    private final byte[] destination;
    private final int id = ThreadLocalRandom.current().nextInt(1, 0x10000);
    private final List<Double> replies = new ArrayList<>();
    /** Send times (nanoTime) of the last {@link #SENT_RING} requests, by sequence number. */
    private final long[] sentAt = new long[SENT_RING];
    private volatile int lastSeq = -1;
    /** The send time of the newest request answered so far (echoed in its reply). */
    private volatile long newestAnswered = Long.MIN_VALUE;
    private final Thread sender;
    private final Thread receiver;
    private volatile boolean running = true;

    VipProbe(String clientNs, String vip) throws Exception {
        fd = openIn(clientNs);
        destination = SockAddr.in4((Inet4Address) InetAddress.getByName(vip));
        receiver = new Thread(this::receive, "vip-probe-rx");
        sender = new Thread(this::send, "vip-probe-tx");
        receiver.setDaemon(true);
        sender.setDaemon(true);
        receiver.start();
        sender.start();
    }

    /** A raw ICMP socket in {@code ns} (setns is per thread: a short-lived thread opens it there). */
    private static int openIn(String ns) throws Exception {
        int fd = NamespaceThreads.call(ns, () -> (int) Native.check(Native.LIBC.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP),
                "socket icmp"));
        // 50 ms receive timeout, so the receiver notices close(); struct timeval is two longs.
        byte[] timeval = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(50_000).array();
        Native.check(Native.LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, timeval.length), "SO_RCVTIMEO");
        return fd;
    }

    private void send() {
        long next = System.nanoTime();
        for (int seq = 0; running; seq++) {
            byte[] echo = echoRequest(seq & 0xffff);
            sentAt[seq % SENT_RING] = ByteBuffer.wrap(echo).getLong(8);
            lastSeq = seq;
            Native.LIBC.sendto(fd, echo, echo.length, 0, destination, destination.length); // unreachable: lost
            next += PERIOD_NANOS;
            long now = System.nanoTime();
            if (now - next > PERIOD_NANOS) {
                next = now; // fell behind (a pause): no burst to catch up
            }
            for (long wait = next - now; wait > 0; wait = next - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private byte[] echoRequest(int seq) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq);
        b.putLong(System.nanoTime());
        byte[] packet = b.array();
        int sum = 0;
        for (int i = 0; i < packet.length; i += 2) {
            sum += ((packet[i] & 0xff) << 8) | (packet[i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = ~((sum & 0xffff) + (sum >>> 16));
        packet[2] = (byte) (sum >> 8);
        packet[3] = (byte) sum;
        return packet;
    }

    private void receive() {
        byte[] buf = new byte[2048];
        byte[] from = new byte[16];
        IntByReference fromLength = new IntByReference(from.length);
        Pointer stamp = Memory.allocateDirect(Native.RUNTIME, 16);
        Native.LIBC.ioctl(fd, SIOCGSTAMPNS, stamp); // the first call turns the socket's stamps on
        while (running) {
            long n = Native.LIBC.recvfrom(fd, buf, buf.length, 0, from, fromLength);
            int header = (buf[0] & 0x0f) * 4;
            if (n < header + 16 || buf[header] != 0
                    || (((buf[header + 4] & 0xff) << 8) | (buf[header + 5] & 0xff)) != id) {
                continue; // timeout, or not a reply to us
            }
            long sent = ByteBuffer.wrap(buf, header + 8, 8).getLong();
            if (sent > newestAnswered) {
                newestAnswered = sent;
            }
            double at = Native.LIBC.ioctl(fd, SIOCGSTAMPNS, stamp) < 0 ? System.currentTimeMillis() / 1e3
                    : stamp.getLong(0) + stamp.getLong(8) / 1e9;
            synchronized (replies) {
                replies.add(at);
            }
        }
    }

    /** Replies received so far. */
    int replies() {
        synchronized (replies) {
            return replies.size();
        }
    }

    /**
     * How long the VIP has not answered, judged by requests rather than by replies (so a probe
     * thread that was not scheduled for a while does not look like an outage): from the send time
     * of the newest answered request to that of the newest request sent at least {@code graceNanos}
     * ago (the time a reply may take to come back and be read); 0 when that one was answered, or
     * when replies wait in the socket for the receiving thread.
     */
    long unansweredNanos(long graceNanos) {
        if (backlogged()) {
            return 0; // replies wait for the receiving thread (not scheduled): they came, so no outage now
        }
        int last = lastSeq;
        long answered = newestAnswered;
        long cutoff = System.nanoTime() - graceNanos;
        for (int seq = last; seq >= 0 && seq > last - SENT_RING; seq--) {
            long at = sentAt[seq % SENT_RING];
            if (at <= cutoff) {
                return Math.max(0, at - answered);
            }
        }
        return 0;
    }

    /** The send time (nanoTime) of the newest request answered so far. */
    long newestAnswered() {
        return newestAnswered;
    }

    /** Whether replies are queued in the socket that the receiving thread has not read yet. */
    private boolean backlogged() {
        Pointer queued = Memory.allocateDirect(Native.RUNTIME, 4);
        return Native.LIBC.ioctl(fd, SIOCINQ, queued) == 0 && queued.getInt(0) > 0;
    }

    /** The longest gap as {start, end}: the epoch seconds of the replies before and after it. */
    double[] maxGap() {
        synchronized (replies) {
            double[] gap = {Double.NaN, Double.NaN};
            double max = -1;
            for (int i = 1; i < replies.size(); i++) {
                double d = replies.get(i) - replies.get(i - 1);
                if (d > max) {
                    max = d;
                    gap = new double[] {replies.get(i - 1), replies.get(i)};
                }
            }
            return gap;
        }
    }

    /** The longest gap between consecutive replies after {@code epochSeconds} (counted from it), in milliseconds. */
    double maxGapMillisSince(double epochSeconds) {
        synchronized (replies) {
            double last = epochSeconds;
            double max = 0;
            for (double at : replies) {
                if (at > epochSeconds) {
                    max = Math.max(max, at - last);
                    last = at;
                }
            }
            return max * 1000;
        }
    }

    /** The longest gap between consecutive replies, in milliseconds. */
    double maxGapMillis() {
        double[] gap = maxGap();
        return Double.isNaN(gap[0]) ? 0 : (gap[1] - gap[0]) * 1000;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        sender.join(2000);
        receiver.join(2000);
        Native.LIBC.close(fd);
    }
}
