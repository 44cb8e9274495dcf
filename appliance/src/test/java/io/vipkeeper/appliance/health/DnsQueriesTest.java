package io.vipkeeper.appliance.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.vipkeeper.appliance.config.HealthCheck.Dns;
import io.vipkeeper.appliance.config.HealthCheck.DnsType;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The dns check's query on the wire (RFC 1035 4.1) and how responses are judged. */
class DnsQueriesTest {
    private static final Dns A = new Dns("health.example.test", DnsType.A);

    @Test
    void queryBytes() {
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsQueryEncoder());
        InetSocketAddress to = new InetSocketAddress("198.18.0.53", 53);
        ch.writeOutbound(DnsQueries.query(0x1234, to, A));
        DatagramPacket p = ch.readOutbound();
        ByteBuf b = p.content();
        assertEquals(to, p.recipient());
        assertEquals(
                // id 0x1234, flags: query, opcode 0, RD; 1 question, no other records
                "123401000001000000000000"
                // QNAME health.example.test., QTYPE A (1), QCLASS IN (1)
                + "066865616c7468076578616d706c65047465737400" + "0001" + "0001",
                ByteBufUtil.hexDump(b));
        p.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void queryTypeCodes() {
        EmbeddedChannel ch = new EmbeddedChannel(new DatagramDnsQueryEncoder());
        ch.writeOutbound(DnsQueries.query(1, new InetSocketAddress("198.18.0.53", 53),
                new Dns("_sip._udp.example.test.", DnsType.SRV)));
        DatagramPacket p = ch.readOutbound();
        String hex = ByteBufUtil.hexDump(p.content());
        assertEquals("0021" + "0001", hex.substring(hex.length() - 8));
        p.release();
        ch.finishAndReleaseAll();
    }

    private static DefaultDnsResponse response(DnsResponseCode code, DnsRecordType... answers) {
        DefaultDnsResponse r = new DefaultDnsResponse(1);
        r.setCode(code);
        r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion("health.example.test.", DnsRecordType.A));
        for (DnsRecordType t : answers) {
            r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord("health.example.test.", t, 60,
                    io.netty.buffer.Unpooled.wrappedBuffer(HexFormat.of().parseHex("c6120035"))));
        }
        return r;
    }

    @Test
    void judgesResponses() {
        assertEquals(CheckResult.up("1 A answer(s)"), DnsQueries.judge(response(DnsResponseCode.NOERROR,
                DnsRecordType.CNAME, DnsRecordType.A), A));
        assertEquals(CheckResult.down("no answer"), DnsQueries.judge(response(DnsResponseCode.NOERROR), A));
        assertEquals(CheckResult.down("no answer"), DnsQueries.judge(response(DnsResponseCode.NOERROR,
                DnsRecordType.CNAME), A));
        assertEquals(CheckResult.down("rcode NXDOMAIN"), DnsQueries.judge(response(DnsResponseCode.NXDOMAIN), A));
        assertEquals(CheckResult.down("rcode SERVFAIL"), DnsQueries.judge(response(DnsResponseCode.SERVFAIL), A));
    }
}
