package io.vipkeeper.appliance.health;

import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.vipkeeper.appliance.config.HealthCheck.Dns;
import java.net.InetSocketAddress;

/** The query a dns check sends and how its response is judged (RFC 1035 4.1). */
final class DnsQueries {
    private DnsQueries() {
    }

    /** A recursive query for {@code dns.name()} of {@code dns.type()} with transaction {@code id}. */
    static DatagramDnsQuery query(int id, InetSocketAddress recipient, Dns dns) {
        DatagramDnsQuery q = new DatagramDnsQuery(null, recipient, id);
        q.setRecursionDesired(true);
        String name = dns.name().endsWith(".") ? dns.name() : dns.name() + ".";
        q.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.valueOf(dns.type().code())));
        return q;
    }

    /** Up when the response is NOERROR with at least one answer of the asked type. */
    static CheckResult judge(DnsResponse r, Dns dns) {
        if (!DnsResponseCode.NOERROR.equals(r.code())) {
            return CheckResult.down("rcode " + r.code().toString().replaceAll("\\(.*", "").toUpperCase(java.util.Locale.ROOT));
        }
        int answers = 0;
        int count = r.count(DnsSection.ANSWER);
        for (int i = 0; i < count; i++) {
            DnsRecord rec = r.recordAt(DnsSection.ANSWER, i);
            if (rec.type().intValue() == dns.type().code()) {
                answers++;
            }
        }
        return answers == 0 ? CheckResult.down("no answer")
                : CheckResult.up(answers + " " + dns.type().configName() + " answer(s)");
    }
}
