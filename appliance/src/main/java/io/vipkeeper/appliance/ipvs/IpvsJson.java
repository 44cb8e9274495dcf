package io.vipkeeper.appliance.ipvs;

import io.vipkeeper.appliance.dataplane.TransportProtocol;
import io.vipkeeper.appliance.dataplane.ActualBackend;
import io.vipkeeper.appliance.dataplane.ActualService;
import io.vipkeeper.appliance.dataplane.ServiceKey;
import io.vipkeeper.appliance.dataplane.SchedulerFlag;
import io.vipkeeper.appliance.dataplane.ServiceSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The kernel table as JSON (for {@code ipvs list --json} and scripts): every field, plain names. */
public final class IpvsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IpvsJson() {
    }

    /** The document, ending with a newline. */
    public static String write(String versionLine, Collection<ActualService> services) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", versionLine);
        List<Object> list = new ArrayList<>();
        for (ActualService s : services) {
            list.add(service(s));
        }
        doc.put("services", list);
        try {
            return MAPPER.writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the IPVS table as JSON", e);
        }
    }

    /** One service as a JSON object (also used by the status API). */
    public static Map<String, Object> service(ActualService s) {
        ServiceSpec spec = s.spec();
        ServiceKey key = spec.key();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", key.ipv6() ? "ipv6" : "ipv4");
        if (key.isFwmark()) {
            m.put("fwmark", key.fwmark());
        } else {
            m.put("protocol", TransportProtocol.ofNumber(key.protocol()).map(TransportProtocol::configName)
                    .orElse(Integer.toString(key.protocol())));
            m.put("address", key.address().getHostAddress());
            m.put("port", key.port());
            if (key.hasPorts()) {
                m.put("ports", key.ports().toString());
            }
        }
        m.put("scheduler", spec.scheduler());
        m.put("flags", spec.flags() & ServiceSpec.SETTABLE_FLAGS);
        // By name too, as the text listing prints them: 16 alone says nothing to an operator.
        m.put("schedulerFlags", SchedulerFlag.names(spec.flags(), spec.scheduler()));
        m.put("persistenceTimeout", (spec.flags() & ServiceSpec.PERSISTENT) != 0 ? spec.timeoutSeconds() : 0);
        m.put("persistenceNetmask", spec.netmask());
        m.put("stats", s.stats());
        List<Object> dests = new ArrayList<>();
        for (ActualBackend d : s.dests().values()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("address", d.spec().key().address().getHostAddress());
            r.put("port", d.spec().key().port());
            r.put("forwarding", d.spec().forwarding().configName());
            r.put("weight", d.spec().weight());
            r.put("upperThreshold", d.spec().upperThreshold());
            r.put("lowerThreshold", d.spec().lowerThreshold());
            r.put("activeConnections", d.activeConnections());
            r.put("inactiveConnections", d.inactiveConnections());
            r.put("persistentConnections", d.persistentConnections());
            r.put("stats", d.stats());
            dests.add(r);
        }
        m.put("realServers", dests);
        return m;
    }
}
