# A UDP echo for NftablesStatelessIT and NftablesStateless6IT: answers each datagram with "NAME
# CLIENT:PORT" (the address it saw), sent from a raw socket with the checksum computed here, so the
# datagram leaves complete (no checksum offload) and a rewrite that did not fix it shows at the
# client. IPv4 or IPv6, by the address given.
import socket, struct, sys

def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

name, me, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
family = socket.AF_INET6 if ":" in me else socket.AF_INET
rx = socket.socket(family, socket.SOCK_DGRAM)
rx.bind((me, port))
tx = socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_UDP)
tx.bind((me, 0))
print("ready", flush=True)
while True:
    data, peer = rx.recvfrom(2048)
    client, cport = peer[0], peer[1]
    body = ("%s %s:%d" % (name, client, cport)).encode()
    length = 8 + len(body)
    if family == socket.AF_INET:
        pseudo = socket.inet_aton(me) + socket.inet_aton(client) + struct.pack("!BBH", 0, 17, length)
    else:
        pseudo = (socket.inet_pton(family, me) + socket.inet_pton(family, client)
                  + struct.pack("!IxxxB", length, 17))
    c = checksum(pseudo + struct.pack("!HHHH", port, cport, length, 0) + body) or 0xffff
    tx.sendto(struct.pack("!HHHH", port, cport, length, c) + body, (client, 0))
