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
 * <p>Published ports are elements of four maps (tcp/udp, any host address or one): a container start or stop
 * adds or deletes its elements ({@link #elements}, one small {@code nft} transaction) instead of rewriting the
 * table; {@link RuleWriter} falls back to the full rewrite when that fails (e.g. a table from an older Berth).
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
        StringBuilder[] elements = new StringBuilder[MAPS.length];
        for (int i = 0; i < MAPS.length; i++) {
            elements[i] = new StringBuilder();
        }
        for (ContainerNetwork c : containers) {
            for (PortBinding p : published(c)) {
                StringBuilder e = elements[mapIndex(p)];
                e.append(e.isEmpty() ? "" : ", ").append(element(c, p));
            }
        }
        for (int i = 0; i < MAPS.length; i++) {
            s.append("  map ").append(MAPS[i]).append(" { type ").append(i % 2 == 0 ? "ipv4_addr . inet_service" : "inet_service")
                    .append(" : ipv4_addr . inet_service;");
            if (!elements[i].isEmpty()) {
                s.append(" elements = { ").append(elements[i]).append(" };");
            }
            s.append(" }\n");
        }
        // a lookup that misses ends the rule (no match): the next one is tried, then the chain returns
        s.append("  chain ports {\n");
        s.append("    dnat ip to ip daddr . tcp dport map @tcp_addr\n");
        s.append("    dnat ip to tcp dport map @tcp_any\n");
        s.append("    dnat ip to ip daddr . udp dport map @udp_addr\n");
        s.append("    dnat ip to udp dport map @udp_any\n");
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

    /** Map names, by {@link #mapIndex}: even = keyed by host address and port, odd = by port alone. */
    private static final String[] MAPS = {"tcp_addr", "tcp_any", "udp_addr", "udp_any"};

    private static int mapIndex(PortBinding p) {
        return (p.protocol() == Protocol.UDP ? 2 : 0) + (p.anyAddress() ? 1 : 0);
    }

    private static List<PortBinding> published(ContainerNetwork c) {
        return c.endpoints().isEmpty() ? List.of() : c.ports();
    }

    /** {@code [host address . ]host port : container address . container port} */
    private static String element(ContainerNetwork c, PortBinding p) {
        return (p.anyAddress() ? "" : p.hostIp() + " . ") + p.hostPort() + " : " + c.endpoints().get(0).ip() + " . " + p.containerPort();
    }

    /**
     * The incremental change for one container's published ports: {@code add element} at start, {@code delete
     * element} at stop; null when it publishes nothing. Applied in order by {@link RuleWriter}.
     */
    static String elements(String table, ContainerNetwork c, boolean add) {
        List<PortBinding> ports = published(c);
        if (ports.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (PortBinding p : ports) {
            String e = element(c, p);
            s.append(add ? "add" : "delete").append(" element ip ").append(table).append(' ').append(MAPS[mapIndex(p)])
                    .append(" { ").append(add ? e : e.substring(0, e.indexOf(" : "))).append(" }\n");
        }
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
