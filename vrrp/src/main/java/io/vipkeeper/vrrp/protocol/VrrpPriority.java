package io.vipkeeper.vrrp.protocol;

/**
 * Priority values with a meaning of their own.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9568#section-5.2.4">RFC 9568 §5.2.4</a>
 */
public final class VrrpPriority {
    /** The router that owns the addresses (they are its real interface addresses). */
    public static final int OWNER = 255;
    /** Sent by a master that stops: backups take over after Skew_Time. */
    public static final int STOP = 0;
    /** The default for a backup-capable router. */
    public static final int DEFAULT = 100;

    private VrrpPriority() {
    }
}
