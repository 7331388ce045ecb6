package dev.berth.engine.network;

import java.util.ArrayList;
import java.util.List;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

/**
 * Parses Docker's {@code -p} grammar into {@link PortBinding}s:
 * {@code containerPort}, {@code hostPort:containerPort}, {@code ip:hostPort:containerPort},
 * {@code ip::containerPort}, each with an optional {@code /tcp} or {@code /udp}, and ranges of equal length
 * such as {@code 8000-8002:80-82} (or {@code 8000-8010:80}, Docker's "any free port of this range", which
 * Berth treats as the first free one). Host ports of 0 are chosen later, when the ports are bound.
 */
public final class PortSpecs {

    private PortSpecs() {
    }

    public static List<PortBinding> parse(String spec, String defaultHostIp) {
        if (spec == null || spec.isBlank()) {
            throw invalid(spec, "it is empty");
        }
        String s = spec.trim();
        Protocol protocol = Protocol.TCP;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            String proto = s.substring(slash + 1).toLowerCase();
            protocol = switch (proto) {
                case "tcp" -> Protocol.TCP;
                case "udp" -> Protocol.UDP;
                default -> throw invalid(spec, "the protocol '" + proto + "' is neither tcp nor udp");
            };
            s = s.substring(0, slash);
        }
        String hostIp = defaultHostIp;
        String hostPart = "";
        String containerPart;
        int last = s.lastIndexOf(':');
        if (last < 0) {
            containerPart = s;
        } else {
            containerPart = s.substring(last + 1);
            String rest = s.substring(0, last);
            int ipEnd = rest.lastIndexOf(':');
            if (ipEnd < 0) {
                hostPart = rest;
            } else {
                hostIp = rest.substring(0, ipEnd);
                hostPart = rest.substring(ipEnd + 1);
                if (hostIp.startsWith("[") || hostIp.contains(":")) {
                    throw invalid(spec, "IPv6 host addresses are not supported yet; use an IPv4 address");
                }
                if (hostIp.isEmpty()) {
                    hostIp = defaultHostIp;
                } else {
                    Subnet.parseAddress(hostIp);
                }
            }
        }
        int[] containerRange = range(spec, containerPart, "container port", false);
        int[] hostRange = hostPart.isEmpty() ? null : range(spec, hostPart, "host port", true);
        int count = containerRange[1] - containerRange[0] + 1;
        List<PortBinding> out = new ArrayList<>(count);
        if (hostRange == null) {
            for (int p = containerRange[0]; p <= containerRange[1]; p++) {
                out.add(new PortBinding(hostIp, 0, p, protocol));
            }
            return out;
        }
        int hostCount = hostRange[1] - hostRange[0] + 1;
        if (hostCount != count && !(count == 1 && hostCount > 1)) {
            throw invalid(spec, "the host range has " + hostCount + " ports but the container range has " + count);
        }
        if (count == 1 && hostCount > 1) {
            // Docker: "-p 8000-8010:80" publishes port 80 on the first free host port of the range.
            // Only the first port of the range is tried; a search through the range is not worth it yet.
            out.add(new PortBinding(hostIp, hostRange[0], containerRange[0], protocol));
            return out;
        }
        for (int i = 0; i < count; i++) {
            out.add(new PortBinding(hostIp, hostRange[0] + i, containerRange[0] + i, protocol));
        }
        return out;
    }

    private static int[] range(String spec, String text, String what, boolean zeroAllowed) {
        int dash = text.indexOf('-');
        int from = port(spec, dash < 0 ? text : text.substring(0, dash), what, zeroAllowed);
        int to = dash < 0 ? from : port(spec, text.substring(dash + 1), what, zeroAllowed);
        if (to < from) {
            throw invalid(spec, "the " + what + " range " + text + " ends before it starts");
        }
        return new int[] {from, to};
    }

    private static int port(String spec, String text, String what, boolean zeroAllowed) {
        int p;
        try {
            p = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid(spec, "the " + what + " '" + text + "' is not a number");
        }
        if (p < (zeroAllowed ? 0 : 1) || p > 65535) {
            throw invalid(spec, "the " + what + " " + p + " is outside 1-65535");
        }
        return p;
    }

    private static EngineException invalid(String spec, String why) {
        return new EngineException(Reason.INVALID_ARGUMENT, "invalid_port_spec",
                "Port specification '" + spec + "' is invalid: " + why
                        + ". Use hostPort:containerPort[/tcp|udp], ip:hostPort:containerPort, ip::containerPort or containerPort.");
    }

    /**
     * Docker's {@code -P}: every exposed port (as an image lists them, "80/tcp", "53/udp", "8080") on a free
     * host port of {@code hostIp}.
     */
    public static List<PortBinding> publishAll(java.util.Collection<String> exposedPorts, String hostIp) {
        List<PortBinding> out = new ArrayList<>();
        for (String exposed : exposedPorts) {
            out.addAll(parse(exposed, hostIp));
        }
        return out;
    }
}
