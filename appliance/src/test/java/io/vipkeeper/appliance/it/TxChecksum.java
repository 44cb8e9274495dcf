package io.vipkeeper.appliance.it;

/**
 * Turns a lab node's transmit checksum offload off (ethtool's legacy ETHTOOL_STXCSUM ioctl, from
 * python: the machine has no ethtool), so its UDP datagrams leave with a complete checksum in
 * software. Over veth an offloaded datagram carries only a partial checksum that the receiver
 * takes as already checked, so a rewrite on the way that broke the checksum would go unseen.
 */
final class TxChecksum {
    private static final String SCRIPT = String.join("\n",
            "import array, fcntl, socket, struct, sys",
            "value = array.array('B', struct.pack('II', 0x17, 0))  # ETHTOOL_STXCSUM, off",
            "fcntl.ioctl(socket.socket(), 0x8946, struct.pack('16sP', sys.argv[1].encode(), value.buffer_info()[0]))");

    private TxChecksum() {
    }

    /** Offload off on {@code device} in namespace {@code ns}. */
    static void off(String ns, String device) throws Exception {
        Lab.sh("ip", "netns", "exec", ns, "python3", "-c", SCRIPT, device);
    }
}
