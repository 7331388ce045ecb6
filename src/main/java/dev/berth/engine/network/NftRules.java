package dev.berth.engine.network;

import java.util.Collection;
import java.util.List;

/**
 * Berth's packet rules, as one nftables table ({@code ip <prefix>}) rewritten atomically on every change.
 *
 * <p>Why nftables and not iptables: the kernel here (and Debian 12's iptables, which is iptables-nft) speaks
 * nftables natively; one table that Berth owns alone can be replaced in a single atomic transaction
 * ({@code nft -f}), so rules are never half-applied and never collide with Docker's or firewalld's chains;
 * and the whole rule set is one readable text that the tests and {@code nft list table ip berth} show.
 * Forwarding is kernel DNAT: no userspace proxy sits in the data path, not even for the host's loopback
 * (see {@link Bridges#ensure} for {@code route_localnet}).
 *
 * <ul>
 *   <li>{@code prerouting}/{@code output} (nat): traffic to a local address and a published port is DNAT'ed to
 *       the container ({@code fib daddr type local} matches every address of this host, like Docker's
 *       {@code -m addrtype --dst-type LOCAL}).</li>
 *   <li>{@code postrouting} (nat): masquerade containers' outbound traffic; masquerade DNAT'ed loopback
 *       traffic so containers can answer it; masquerade hairpin traffic (a container to its own published
 *       port).</li>
 *   <li>{@code forward} (filter): bridges of different networks cannot talk to each other (Docker's
 *       DOCKER-ISOLATION), except for connections that were DNAT'ed to a published port.</li>
 * </ul>
 */
final class NftRules {

    private NftRules() {
    }

    static String render(String table, Collection<Network> networks, Collection<ContainerNetwork> containers) {
        StringBuilder s = new StringBuilder();
        // "add table" then "delete table" makes the delete safe when the table does not exist yet; the whole
        // file is one transaction.
        s.append("add table ip ").append(table).append('\n');
        s.append("delete table ip ").append(table).append('\n');
        s.append("table ip ").append(table).append(" {\n");
        s.append("  chain ports {\n");
        for (ContainerNetwork c : containers) {
            if (c.endpoints().isEmpty()) {
                continue;
            }
            String ip = c.endpoints().get(0).ip();
            for (PortBinding p : c.ports()) {
                s.append("    ");
                if (!p.anyAddress()) {
                    s.append("ip daddr ").append(p.hostIp()).append(' ');
                }
                s.append(p.protocol().lower()).append(" dport ").append(p.hostPort())
                        .append(" dnat to ").append(ip).append(':').append(p.containerPort())
                        .append(" comment \"").append(c.containerId(), 0, Math.min(12, c.containerId().length())).append("\"\n");
            }
        }
        s.append("  }\n");
        s.append("  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n")
                .append("    fib daddr type local jump ports\n  }\n");
        s.append("  chain output {\n    type nat hook output priority -100; policy accept;\n")
                .append("    fib daddr type local jump ports\n  }\n");
        s.append("  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n");
        for (Network n : networks) {
            String br = quote(n.bridge());
            s.append("    oifname ").append(br).append(" ip saddr 127.0.0.0/8 masquerade\n");
            s.append("    oifname ").append(br).append(" ip saddr ").append(n.subnet()).append(" ct status dnat masquerade\n");
            s.append("    ip saddr ").append(n.subnet()).append(" oifname != ").append(br).append(" masquerade\n");
        }
        s.append("  }\n");
        // route_localnet on the bridges (needed for loopback DNAT) would also let a container send packets to
        // the host's 127.0.0.1 services (the CVE-2020-8558 class): only replies of DNAT'ed connections may come
        // in from a bridge addressed to 127.0.0.0/8.
        if (!networks.isEmpty()) {
            s.append("  chain input {\n    type filter hook input priority filter; policy accept;\n");
            s.append("    iifname { ").append(String.join(", ", networks.stream().map(n -> quote(n.bridge())).toList()))
                    .append(" } ip daddr 127.0.0.0/8 ct state != { established, related } drop\n  }\n");
        }
        s.append("  chain forward {\n    type filter hook forward priority filter; policy accept;\n");
        s.append("    ct status dnat accept\n");
        if (networks.size() > 1) {
            for (Network n : networks) {
                s.append("    iifname ").append(quote(n.bridge())).append(" oifname { ");
                s.append(String.join(", ", networks.stream().filter(o -> o != n).map(o -> quote(o.bridge())).toList()));
                s.append(" } drop\n");
            }
        }
        s.append("  }\n}\n");
        return s.toString();
    }

    static void apply(String ruleset) {
        HostCommands.run(List.of("nft", "-f", "-"), ruleset, "apply the nftables rules for networks and published ports");
    }

    static void remove(String table) {
        HostCommands.runQuietly(List.of("nft", "delete", "table", "ip", table), null);
    }

    private static String quote(String name) {
        return "\"" + name + "\"";
    }
}
