package io.vipkeeper.vrrp.linux;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;

/**
 * The few libc calls VRRP needs that the JDK does not offer (raw, packet and netlink sockets),
 * bound with jnr-ffi, and those the appliance needs to run operator scripts (subreaper, reaping,
 * user lookup). Structs are passed as byte arrays packed by {@link SockAddr}.
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, @In byte[] addr, int addrlen);

    int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);

    long sendto(int fd, @In byte[] buf, long len, int flags, @In byte[] addr, int addrlen);

    long recvfrom(int fd, @Out byte[] buf, long len, int flags, @Out byte[] addr, IntByReference addrlen);

    long recvmsg(int fd, Pointer msghdr, int flags);

    int close(int fd);

    /** Only with a pointer argument (SIOCGSTAMPNS: struct timespec). */
    int ioctl(int fd, long request, Pointer arg);

    int clock_gettime(int clockId, Pointer timespec);

    int if_nametoindex(String name);

    String strerror(int errnum);

    int setns(int fd, int nstype);

    int open(String path, int flags);

    int mallopt(int param, int value);

    /** Only to query ({@code act} null) or to restore the default ({@code act} all zero). */
    int sigaction(int signum, @In byte[] act, @Out byte[] oldact);

    /** Only with integer arguments (PR_SET_CHILD_SUBREAPER and the like). */
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int waitpid(int pid, @Out int[] status, int options);

    /** The calling thread's filesystem uid (returns the previous one; no error indication). */
    int setfsuid(int fsuid);

    /** The calling thread's filesystem gid (returns the previous one; no error indication). */
    int setfsgid(int fsgid);

    /** A struct passwd in libc's static buffer, or null: not thread-safe, callers serialize. */
    Pointer getpwnam(String name);

    /** A struct group in libc's static buffer, or null: not thread-safe, callers serialize. */
    Pointer getgrnam(String name);
}
