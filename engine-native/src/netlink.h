/* Raw rtnetlink (no libmnl/libnl): the veth pair that puts a container on a bridge, configured by the monitor
 * before the container's process execs (spec key `veth`, PROTOCOL.md). Replaces two `ip -batch` processes. */
#ifndef BERTH_NETLINK_H
#define BERTH_NETLINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One `veth` spec entry: "host=<name> bridge=<name> name=<ifname> addr=<a.b.c.d>/<prefix> [gw=<a.b.c.d>]
 * [mac=<xx:xx:xx:xx:xx:xx>] [mtu=<n>]" (space-separated, any order). */
struct veth_spec {
    char host[16], bridge[16], name[16];  /* IFNAMSIZ */
    uint32_t addr, gw;                    /* network byte order; gw 0 = no default route */
    unsigned prefix;
    uint8_t mac[6];
    int has_mac;
    unsigned mtu;                         /* 0 = kernel default */
};

int veth_parse(const char *text, struct veth_spec *out);

/* A netlink message under construction in a fixed buffer. Every append keeps NLMSG/NLA alignment (4 bytes). */
struct nlbuf {
    uint8_t data[1024];
    size_t len;
    int overflow;
};

void nl_begin(struct nlbuf *b, uint16_t type, uint16_t flags, uint32_t seq, const void *hdr, size_t hdr_len);
void nl_attr(struct nlbuf *b, uint16_t type, const void *data, size_t len);
void nl_attr_u32(struct nlbuf *b, uint16_t type, uint32_t v);
void nl_attr_str(struct nlbuf *b, uint16_t type, const char *s);  /* with its NUL */
size_t nl_nest_begin(struct nlbuf *b, uint16_t type);            /* returns the nest's offset for nl_nest_end */
void nl_nest_end(struct nlbuf *b, size_t offset);
/* Appends raw bytes padded to 4 (a nested header such as the veth peer's ifinfomsg). */
void nl_raw(struct nlbuf *b, const void *data, size_t len);

/* Message builders (unit-tested without privileges). */
void nl_build_veth(struct nlbuf *b, uint32_t seq, const struct veth_spec *v, int peer_netns_fd);
void nl_build_link(struct nlbuf *b, uint32_t seq, int ifindex, const char *name, int master, int up);
void nl_build_addr(struct nlbuf *b, uint32_t seq, int ifindex, uint32_t addr, unsigned prefix);
void nl_build_default_route(struct nlbuf *b, uint32_t seq, int ifindex, uint32_t gw);

/* Creates and configures every veth of the spec for the container init `pid` (whose netns is new). The host ends
 * are plugged into their bridges and up; inside: lo up, each interface renamed/addressed/up, default route via
 * the first gw. Returns 0, or -1 with g_err ("network_failed") saying which step failed on what. */
int veth_setup(const struct veth_spec *v, size_t n, pid_t pid);

#endif
