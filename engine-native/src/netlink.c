#include "netlink.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---------- spec entry ---------- */

static int copy_name(char dst[16], const char *v, size_t n, const char *key, const char *text) {
    if (n < 1 || n > 15) return err_msg("spec_invalid", "spec: veth %s must be 1..15 characters in '%s'", key, text);
    for (size_t i = 0; i < n; i++)
        if (v[i] == '/' || v[i] == ':' || v[i] <= ' ')
            return err_msg("spec_invalid", "spec: veth %s has an invalid character in '%s'", key, text);
    memcpy(dst, v, n);
    dst[n] = 0;
    return 0;
}

static int parse_ip(const char *v, size_t n, uint32_t *out) {
    char tmp[16];
    if (n >= sizeof tmp) return -1;
    memcpy(tmp, v, n);
    tmp[n] = 0;
    struct in_addr a;
    if (inet_pton(AF_INET, tmp, &a) != 1) return -1;
    *out = a.s_addr;
    return 0;
}

int veth_parse(const char *text, struct veth_spec *o) {
    memset(o, 0, sizeof *o);
    int have_addr = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ') p++;
        if (!*p) break;
        const char *end = strchr(p, ' ');
        if (!end) end = p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (!eq) return err_msg("spec_invalid", "spec: veth field '%.*s' is not key=value in '%s'", (int)(end - p), p, text);
        size_t kl = (size_t)(eq - p), vl = (size_t)(end - eq - 1);
        const char *v = eq + 1;
#define KEY(k) (kl == sizeof k - 1 && !memcmp(p, k, kl))
        if (KEY("host")) { if (copy_name(o->host, v, vl, "host", text)) return -1; }
        else if (KEY("bridge")) { if (copy_name(o->bridge, v, vl, "bridge", text)) return -1; }
        else if (KEY("name")) { if (copy_name(o->name, v, vl, "name", text)) return -1; }
        else if (KEY("addr")) {
            const char *slash = memchr(v, '/', vl);
            char *e;
            unsigned long pl = slash ? strtoul(slash + 1, &e, 10) : 0;
            if (!slash || parse_ip(v, (size_t)(slash - v), &o->addr) || e != end || slash + 1 == end || pl < 1 || pl > 32)
                return err_msg("spec_invalid", "spec: veth addr must be a.b.c.d/prefix in '%s'", text);
            o->prefix = (unsigned)pl;
            have_addr = 1;
        } else if (KEY("gw")) {
            if (parse_ip(v, vl, &o->gw)) return err_msg("spec_invalid", "spec: veth gw must be a.b.c.d in '%s'", text);
        } else if (KEY("mac")) {
            unsigned m[6];
            int used = 0;
            if (vl != 17 || sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x%n", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &used) != 6 || used != 17)
                return err_msg("spec_invalid", "spec: veth mac must be xx:xx:xx:xx:xx:xx in '%s'", text);
            for (int i = 0; i < 6; i++) o->mac[i] = (uint8_t)m[i];
            o->has_mac = 1;
        } else if (KEY("mtu")) {
            char *e;
            unsigned long mtu = strtoul(v, &e, 10);
            if (e != end || vl == 0 || mtu < 68 || mtu > 65535)
                return err_msg("spec_invalid", "spec: veth mtu must be 68..65535 in '%s'", text);
            o->mtu = (unsigned)mtu;
        } else {
            return err_msg("spec_invalid", "spec: unknown veth field '%.*s' in '%s'", (int)kl, p, text);
        }
#undef KEY
        p = end;
    }
    if (!o->host[0] || !o->bridge[0] || !o->name[0] || !have_addr)
        return err_msg("spec_invalid", "spec: veth needs host=, bridge=, name= and addr= in '%s'", text);
    return 0;
}

/* ---------- message building ---------- */

#define ALIGN4(n) (((n) + 3u) & ~(size_t)3u)

static void *room(struct nlbuf *b, size_t n) {
    if (b->overflow || b->len + ALIGN4(n) > sizeof b->data) { b->overflow = 1; return NULL; }
    void *p = b->data + b->len;
    memset(p, 0, ALIGN4(n));
    b->len += ALIGN4(n);
    return p;
}

static void finish(struct nlbuf *b) {
    if (!b->overflow) ((struct nlmsghdr *)b->data)->nlmsg_len = (uint32_t)b->len;
}

void nl_begin(struct nlbuf *b, uint16_t type, uint16_t flags, uint32_t seq, const void *hdr, size_t hdr_len) {
    b->len = 0;
    b->overflow = 0;
    struct nlmsghdr *h = room(b, sizeof *h);
    h->nlmsg_type = type;
    h->nlmsg_flags = flags;
    h->nlmsg_seq = seq;
    nl_raw(b, hdr, hdr_len);
}

void nl_raw(struct nlbuf *b, const void *data, size_t len) {
    void *p = room(b, len);
    if (p) memcpy(p, data, len);
    finish(b);
}

void nl_attr(struct nlbuf *b, uint16_t type, const void *data, size_t len) {
    struct nlattr *a = room(b, NLA_HDRLEN + len);
    if (!a) return;
    a->nla_type = type;
    a->nla_len = (uint16_t)(NLA_HDRLEN + len);   /* the length excludes the padding */
    if (len) memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
    finish(b);
}

void nl_attr_u32(struct nlbuf *b, uint16_t type, uint32_t v) { nl_attr(b, type, &v, sizeof v); }
void nl_attr_str(struct nlbuf *b, uint16_t type, const char *s) { nl_attr(b, type, s, strlen(s) + 1); }

size_t nl_nest_begin(struct nlbuf *b, uint16_t type) {
    size_t off = b->len;
    struct nlattr *a = room(b, NLA_HDRLEN);
    if (a) a->nla_type = type | NLA_F_NESTED;
    return off;
}

void nl_nest_end(struct nlbuf *b, size_t offset) {
    if (b->overflow) return;
    ((struct nlattr *)(b->data + offset))->nla_len = (uint16_t)(b->len - offset);
    finish(b);
}

#define REQ (NLM_F_REQUEST | NLM_F_ACK)

void nl_build_veth(struct nlbuf *b, uint32_t seq, const struct veth_spec *v, int peer_netns_fd) {
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    nl_begin(b, RTM_NEWLINK, REQ | NLM_F_CREATE | NLM_F_EXCL, seq, &ifi, sizeof ifi);
    nl_attr_str(b, IFLA_IFNAME, v->host);
    if (v->mtu) nl_attr_u32(b, IFLA_MTU, v->mtu);
    size_t info = nl_nest_begin(b, IFLA_LINKINFO);
    nl_attr_str(b, IFLA_INFO_KIND, "veth");
    size_t data = nl_nest_begin(b, IFLA_INFO_DATA);
    size_t peer = nl_nest_begin(b, VETH_INFO_PEER);
    nl_raw(b, &ifi, sizeof ifi);                /* the peer's own ifinfomsg, then its attributes */
    nl_attr_str(b, IFLA_IFNAME, v->name);       /* resolved in the peer's (the container's) namespace */
    nl_attr_u32(b, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd);
    if (v->mtu) nl_attr_u32(b, IFLA_MTU, v->mtu);
    if (v->has_mac) nl_attr(b, IFLA_ADDRESS, v->mac, 6);
    nl_nest_end(b, peer);
    nl_nest_end(b, data);
    nl_nest_end(b, info);
}

void nl_build_link(struct nlbuf *b, uint32_t seq, int ifindex, const char *name, int master, int up) {
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
    if (up) { ifi.ifi_flags = IFF_UP; ifi.ifi_change = IFF_UP; }
    nl_begin(b, RTM_NEWLINK, REQ, seq, &ifi, sizeof ifi);
    if (ifindex == 0 && name) nl_attr_str(b, IFLA_IFNAME, name);   /* the kernel looks the link up by name */
    if (master > 0) nl_attr_u32(b, IFLA_MASTER, (uint32_t)master);
}

void nl_build_addr(struct nlbuf *b, uint32_t seq, int ifindex, uint32_t addr, unsigned prefix) {
    struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_prefixlen = (uint8_t)prefix, .ifa_index = (uint32_t)ifindex,
                            .ifa_scope = RT_SCOPE_UNIVERSE};
    nl_begin(b, RTM_NEWADDR, REQ | NLM_F_CREATE | NLM_F_EXCL, seq, &ifa, sizeof ifa);
    nl_attr(b, IFA_LOCAL, &addr, 4);
    nl_attr(b, IFA_ADDRESS, &addr, 4);
    if (prefix < 31) {   /* what `ip addr add ... brd +` computes; plain `ip addr add` leaves it out, harmless either way */
        uint32_t mask = htonl(~((1u << (32 - prefix)) - 1));
        uint32_t brd = addr | ~mask;
        nl_attr(b, IFA_BROADCAST, &brd, 4);
    }
}

void nl_build_default_route(struct nlbuf *b, uint32_t seq, int ifindex, uint32_t gw) {
    struct rtmsg rt = {.rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_BOOT,
                       .rtm_scope = RT_SCOPE_UNIVERSE, .rtm_type = RTN_UNICAST};
    nl_begin(b, RTM_NEWROUTE, REQ | NLM_F_CREATE | NLM_F_REPLACE, seq, &rt, sizeof rt);
    nl_attr(b, RTA_GATEWAY, &gw, 4);
    nl_attr_u32(b, RTA_OIF, (uint32_t)ifindex);
}

/* ---------- talking to the kernel ---------- */

static int nl_open(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) return err_sys("network_failed", "cannot open a netlink socket");
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { close(fd); return err_sys("network_failed", "cannot bind a netlink socket"); }
    return fd;
}

/* Sends one request and waits for its ack. Returns 0 or -errno (the kernel's answer); -1 errors set errno too. */
static int nl_talk(int fd, struct nlbuf *b) {
    if (b->overflow) { errno = EMSGSIZE; return -EMSGSIZE; }
    uint32_t seq = ((struct nlmsghdr *)b->data)->nlmsg_seq;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    ssize_t n;
    do n = sendto(fd, b->data, b->len, 0, (struct sockaddr *)&kernel, sizeof kernel); while (n < 0 && errno == EINTR);
    if (n < 0) return -errno;
    uint8_t buf[8192] __attribute__((aligned(4)));
    for (;;) {
        do n = recv(fd, buf, sizeof buf, 0); while (n < 0 && errno == EINTR);
        if (n < 0) return -errno;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR) continue;
            const struct nlmsgerr *e = NLMSG_DATA(h);
            if (e->error) errno = -e->error;
            return e->error;
        }
    }
}

static int ifindex_of(int fd, uint32_t seq, const char *name) {
    /* RTM_GETLINK by name on this socket's namespace; answered with an RTM_NEWLINK carrying the index */
    struct nlbuf b;
    struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
    nl_begin(&b, RTM_GETLINK, NLM_F_REQUEST, seq, &ifi, sizeof ifi);
    nl_attr_str(&b, IFLA_IFNAME, name);
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (sendto(fd, b.data, b.len, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) return -errno;
    uint8_t buf[8192] __attribute__((aligned(4)));
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0) { if (errno == EINTR) continue; return -errno; }
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != seq) continue;
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);
                return e->error ? e->error : -ENODEV;
            }
            if (h->nlmsg_type == RTM_NEWLINK) return ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index;
        }
    }
}

static int fail_nl(int rc, const char *what, const char *on) {
    errno = -rc;
    return err_sys("network_failed", "netlink: cannot %s %s", what, on);
}

static int setup_inside(int nl, const struct veth_spec *v, size_t n, uint32_t *seq) {
    struct nlbuf b;
    int rc;
    nl_build_link(&b, ++*seq, 0, "lo", 0, 1);
    if ((rc = nl_talk(nl, &b))) return fail_nl(rc, "bring up", "lo in the container");
    int route_if = 0;
    uint32_t gw = 0;
    for (size_t i = 0; i < n; i++) {
        int idx = ifindex_of(nl, ++*seq, v[i].name);
        if (idx < 0) return fail_nl(idx, "find the container's interface", v[i].name);
        nl_build_addr(&b, ++*seq, idx, v[i].addr, v[i].prefix);
        if ((rc = nl_talk(nl, &b))) return fail_nl(rc, "add the address of", v[i].name);
        nl_build_link(&b, ++*seq, idx, NULL, 0, 1);
        if ((rc = nl_talk(nl, &b))) return fail_nl(rc, "bring up", v[i].name);
        if (!route_if && v[i].gw) { route_if = idx; gw = v[i].gw; }
    }
    if (route_if) {
        nl_build_default_route(&b, ++*seq, route_if, gw);
        if ((rc = nl_talk(nl, &b))) return fail_nl(rc, "add the default route in", "the container");
    }
    return 0;
}

int veth_setup(const struct veth_spec *v, size_t n, pid_t pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
    int target = open(path, O_RDONLY | O_CLOEXEC);
    if (target < 0) return err_sys("network_failed", "cannot open %s", path);
    int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    int host = nl_open();
    int rc = -1, inside = -1;
    uint32_t seq = 0;
    if (self < 0) { err_sys("network_failed", "cannot open /proc/self/ns/net"); goto out; }
    if (host < 0) goto out;
    struct nlbuf b;
    for (size_t i = 0; i < n; i++) {
        int r;
        int bridge = ifindex_of(host, ++seq, v[i].bridge);
        if (bridge < 0) { fail_nl(bridge, "find the bridge", v[i].bridge); goto out; }
        nl_build_veth(&b, ++seq, &v[i], target);
        if ((r = nl_talk(host, &b))) { fail_nl(r, "create the veth pair", v[i].host); goto out; }
        int idx = ifindex_of(host, ++seq, v[i].host);
        if (idx < 0) { fail_nl(idx, "find the new veth", v[i].host); goto out; }
        nl_build_link(&b, ++seq, idx, NULL, bridge, 1);
        if ((r = nl_talk(host, &b))) { fail_nl(r, "plug into its bridge and bring up", v[i].host); goto out; }
    }
    trace("veth: host side");
    /* A netlink socket stays bound to the namespace it was created in: enter, open, come back. */
    if (setns(target, CLONE_NEWNET) < 0) { err_sys("network_failed", "cannot enter the container's network namespace"); goto out; }
    inside = nl_open();
    if (setns(self, CLONE_NEWNET) < 0) {
        /* the monitor would keep serving from the wrong namespace: refuse the start rather than carry on */
        err_sys("network_failed", "cannot return to the monitor's network namespace");
        goto out;
    }
    if (inside < 0) goto out;
    if (setup_inside(inside, v, n, &seq)) goto out;
    trace("veth: container side");
    rc = 0;
out:
    if (inside >= 0) close(inside);
    if (host >= 0) close(host);
    if (self >= 0) close(self);
    close(target);
    return rc;
}
