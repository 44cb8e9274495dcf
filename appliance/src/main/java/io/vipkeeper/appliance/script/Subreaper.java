package io.vipkeeper.appliance.script;

import io.vipkeeper.vrrp.linux.Native;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the daemon a child subreaper (prctl PR_SET_CHILD_SUBREAPER): a script's processes that
 * detach (double fork, setsid) are re-parented to the daemon instead of init, so a timeout can
 * still find and kill them; and reaps those adopted processes once they exit, which nothing else
 * would (the JDK waits only for the processes it started).
 *
 * <p>Reaping must never take the exit status of a process the JDK started: the JDK waits for each
 * of those by its pid, and had we reaped one first it would get ECHILD and report exit code 0. So
 * a zombie child is reaped here only if (1) it is not a process started by {@link #start} that the
 * JDK has yet to reap: starts register under a lock that a reaping pass holds exclusively, so no
 * such process can exit and be reaped between its start and its registration; and (2) its session
 * is not the daemon's: scripts start as session leaders (setsid), so whatever they leave behind is
 * in another session, while the other programs the daemon runs (nft) stay in the daemon's.
 */
public final class Subreaper {
    /** prctl option (linux/prctl.h). */
    static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;
    private static final long PERIOD_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Subreaper.class);
    private static Subreaper instance;

    private final long self = ProcessHandle.current().pid();
    private final long session;
    private final boolean adopting;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Set<Long> started = ConcurrentHashMap.newKeySet();
    private final AtomicLong reaped = new AtomicLong();

    private Subreaper() {
        session = ProcStat.of(self).map(ProcStat::session).orElse(-1L);
        boolean ok;
        try {
            ok = Native.LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
        } catch (RuntimeException | LinkageError e) {
            ok = false;
        }
        adopting = ok;
        if (!ok) {
            LOG.warn("cannot become a child subreaper: a script's detached processes escape its timeout");
        }
    }

    /** The daemon's subreaper, set up (and reaping every few seconds) on first use. */
    public static synchronized Subreaper get() {
        if (instance == null) {
            instance = new Subreaper();
            if (instance.adopting) {
                ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "subreaper");
                    t.setDaemon(true);
                    return t;
                });
                Subreaper s = instance;
                timer.scheduleWithFixedDelay(s::reap, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
            }
        }
        return instance;
    }

    /** Starts {@code pb} and keeps its pid from being reaped here until the JDK has reaped it. */
    Process start(ProcessBuilder pb) throws IOException {
        lock.readLock().lock();
        try {
            Process p = pb.start();
            long pid = p.pid();
            started.add(pid);
            p.onExit().whenComplete((x, e) -> started.remove(pid));
            return p;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Whether {@code pid} is a process {@link #start} started that the JDK has not reaped yet. */
    boolean startedHere(long pid) {
        return started.contains(pid);
    }

    /** The daemon's pid, the parent of every adopted process. */
    long self() {
        return self;
    }

    /** Reaps every adopted child that has exited; returns how many. */
    public int reap() {
        if (session < 0) {
            return 0; // without our own session no zombie can be told from the JDK's own
        }
        lock.writeLock().lock();
        try {
            int n = 0;
            int[] status = new int[1];
            for (ProcStat p : ProcStat.all()) {
                if (reapable(p) && Native.LIBC.waitpid((int) p.pid(), status, WNOHANG) == p.pid()) {
                    n++;
                }
            }
            if (n > 0) {
                reaped.addAndGet(n);
                LOG.debug("reaped {} exited process(es) that scripts left behind", n);
            }
            return n;
        } catch (RuntimeException e) {
            LOG.warn("reaping orphaned script processes failed: {}", e.toString());
            return 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether {@code p} is an exited child that only we will reap (see the class comment). */
    boolean reapable(ProcStat p) {
        return p.ppid() == self && p.zombie() && p.session() != session && !started.contains(p.pid());
    }

    /** The daemon's session. */
    long session() {
        return session;
    }

    /** Processes reaped here so far. */
    public long reaped() {
        return reaped.get();
    }
}
