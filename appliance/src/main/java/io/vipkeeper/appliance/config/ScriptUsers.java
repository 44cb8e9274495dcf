package io.vipkeeper.appliance.config;

import io.vipkeeper.vrrp.linux.Native;
import jnr.ffi.Pointer;

/**
 * Resolves {@code USER} or {@code USER:GROUP} through the system's user database (getpwnam and
 * getgrnam, so NSS sources such as LDAP count as they do for setpriv).
 */
final class ScriptUsers {
    /** struct passwd and struct group both start with two char pointers before the id. */
    private static final int ID_OFFSET = 2 * Native.RUNTIME.addressSize();

    private ScriptUsers() {
    }

    /**
     * The user {@code spec} names.
     *
     * @throws IllegalArgumentException saying why not, for a config problem
     */
    static ScriptUser resolve(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length > 2 || parts[0].isEmpty() || parts.length == 2 && parts[1].isEmpty()) {
            throw new IllegalArgumentException("\"" + spec + "\" is not USER or USER:GROUP");
        }
        synchronized (ScriptUsers.class) {
            Pointer pw = Native.LIBC.getpwnam(parts[0]);
            if (pw == null) {
                throw new IllegalArgumentException("no user \"" + parts[0] + "\" on this host");
            }
            int uid = pw.getInt(ID_OFFSET);
            int gid = pw.getInt(ID_OFFSET + 4);
            if (parts.length == 2) {
                Pointer gr = Native.LIBC.getgrnam(parts[1]);
                if (gr == null) {
                    throw new IllegalArgumentException("no group \"" + parts[1] + "\" on this host");
                }
                gid = gr.getInt(ID_OFFSET);
            }
            return new ScriptUser(spec, uid, gid);
        }
    }
}
