/* Netlink message building and the veth spec entry: byte-level checks, no privileges needed. */
#include "check.h"
#include "netlink.h"
#include "util.h"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

/* Finds attribute `type` among the attributes in [p, p+len); checks every attribute's length and alignment. */
static const struct nlattr *find(const uint8_t *p, size_t len, uint16_t type) {
    const struct nlattr *hit = NULL;
    size_t off = 0;
    while (off < len) {
        const struct nlattr *a = (const struct nlattr *)(p + off);
        CHECK(a->nla_len >= NLA_HDRLEN);
        CHECK(off + NLA_ALIGN(a->nla_len) <= len);
        CHECK(((uintptr_t)a & 3) == 0);
        if (a->nla_len < NLA_HDRLEN) return NULL;
        if ((a->nla_type & NLA_TYPE_MASK) == type && !hit) hit = a;
        off += NLA_ALIGN(a->nla_len);
    }
    CHECK(off == len);
    return hit;
}

static const uint8_t *payload(const struct nlattr *a) { return (const uint8_t *)a + NLA_HDRLEN; }
static size_t plen(const struct nlattr *a) { return a->nla_len - NLA_HDRLEN; }

static void test_parse(void) {
    struct veth_spec v;
    CHECK(veth_parse("host=berthv0a1b2c3d bridge=berth0 name=eth0 addr=10.232.0.5/16 gw=10.232.0.1 mac=02:42:0a:e8:00:05 mtu=1500", &v) == 0);
    CHECK_STR(v.host, "berthv0a1b2c3d");
    CHECK_STR(v.bridge, "berth0");
    CHECK_STR(v.name, "eth0");
    CHECK(v.addr == inet_addr("10.232.0.5") && v.prefix == 16 && v.gw == inet_addr("10.232.0.1"));
    CHECK(v.has_mac && v.mac[0] == 0x02 && v.mac[5] == 0x05 && v.mtu == 1500);
    CHECK(veth_parse("name=eth1 addr=10.0.0.2/24 bridge=b host=h", &v) == 0 && v.gw == 0 && !v.has_mac && v.mtu == 0);
    CHECK(veth_parse("host=h bridge=b name=eth0", &v) == -1 && strstr(g_err.msg, "needs"));
    CHECK(veth_parse("host=h bridge=b name=eth0 addr=10.0.0.2", &v) == -1 && strstr(g_err.msg, "prefix"));
    CHECK(veth_parse("host=h bridge=b name=eth0 addr=10.0.0.2/33", &v) == -1);
    CHECK(veth_parse("host=0123456789abcdef bridge=b name=eth0 addr=10.0.0.2/8", &v) == -1 && strstr(g_err.msg, "1..15"));
    CHECK(veth_parse("host=h bridge=b name=a/b addr=10.0.0.2/8", &v) == -1);
    CHECK(veth_parse("host=h bridge=b name=e addr=10.0.0.2/8 mac=02:42:0a", &v) == -1);
    CHECK(veth_parse("host=h bridge=b name=e addr=10.0.0.2/8 colour=red", &v) == -1 && strstr(g_err.msg, "colour"));
    CHECK_STR(g_err.code, "spec_invalid");
}

static void test_attr_alignment(void) {
    struct nlbuf b;
    struct ifinfomsg ifi = {0};
    nl_begin(&b, RTM_NEWLINK, NLM_F_REQUEST, 7, &ifi, sizeof ifi);
    CHECK(b.len == NLMSG_HDRLEN + NLMSG_ALIGN(sizeof ifi));
    nl_attr_str(&b, IFLA_IFNAME, "eth0");          /* 4 + 5 bytes -> nla_len 9, padded to 12 */
    const struct nlattr *a = (const struct nlattr *)(b.data + NLMSG_HDRLEN + sizeof ifi);
    CHECK(a->nla_len == 9);
    CHECK(b.len == NLMSG_HDRLEN + sizeof ifi + 12);
    CHECK(b.data[NLMSG_HDRLEN + sizeof ifi + 9] == 0 && b.data[NLMSG_HDRLEN + sizeof ifi + 11] == 0); /* zero padding */
    nl_attr_u32(&b, IFLA_MTU, 1500);
    CHECK(b.len % 4 == 0);
    const struct nlmsghdr *h = (const struct nlmsghdr *)b.data;
    CHECK(h->nlmsg_len == b.len && h->nlmsg_seq == 7 && h->nlmsg_type == RTM_NEWLINK);
    /* overflow is sticky and never writes past the buffer */
    for (int i = 0; i < 200; i++) nl_attr_str(&b, IFLA_IFALIAS, "0123456789");
    CHECK(b.overflow && b.len <= sizeof b.data);
}

static void test_veth_message(void) {
    struct veth_spec v;
    CHECK(veth_parse("host=berthvabc bridge=berth0 name=eth0 addr=10.1.0.2/24 mac=02:42:0a:01:00:02 mtu=1400", &v) == 0);
    struct nlbuf b;
    nl_build_veth(&b, 3, &v, 42);
    CHECK(!b.overflow);
    const struct nlmsghdr *h = (const struct nlmsghdr *)b.data;
    CHECK(h->nlmsg_len == b.len);
    CHECK(h->nlmsg_flags == (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
    const uint8_t *attrs = b.data + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg));
    size_t alen = b.len - (size_t)(attrs - b.data);
    const struct nlattr *name = find(attrs, alen, IFLA_IFNAME);
    CHECK(name && !strcmp((const char *)payload(name), "berthvabc"));
    const struct nlattr *mtu = find(attrs, alen, IFLA_MTU);
    CHECK(mtu && *(const uint32_t *)payload(mtu) == 1400);
    const struct nlattr *info = find(attrs, alen, IFLA_LINKINFO);
    CHECK(info && (info->nla_type & NLA_F_NESTED));
    if (!info) return;
    const struct nlattr *kind = find(payload(info), plen(info), IFLA_INFO_KIND);
    CHECK(kind && kind->nla_len == NLA_HDRLEN + 5 && !memcmp(payload(kind), "veth", 5));
    const struct nlattr *data = find(payload(info), plen(info), IFLA_INFO_DATA);
    CHECK(data != NULL);
    if (!data) return;
    const struct nlattr *peer = find(payload(data), plen(data), VETH_INFO_PEER);
    CHECK(peer != NULL);
    if (!peer) return;
    /* the peer: an ifinfomsg, then its own attributes */
    const uint8_t *pa = payload(peer) + NLMSG_ALIGN(sizeof(struct ifinfomsg));
    size_t pl = plen(peer) - NLMSG_ALIGN(sizeof(struct ifinfomsg));
    const struct nlattr *pname = find(pa, pl, IFLA_IFNAME);
    CHECK(pname && !strcmp((const char *)payload(pname), "eth0"));
    const struct nlattr *ns = find(pa, pl, IFLA_NET_NS_FD);
    CHECK(ns && *(const uint32_t *)payload(ns) == 42);
    const struct nlattr *mac = find(pa, pl, IFLA_ADDRESS);
    CHECK(mac && plen(mac) == 6 && payload(mac)[0] == 0x02 && payload(mac)[5] == 0x02);
    /* nests end exactly where the message ends */
    CHECK((size_t)((const uint8_t *)info - b.data) + info->nla_len == b.len);
}

static void test_addr_route_link(void) {
    struct nlbuf b;
    nl_build_addr(&b, 9, 5, inet_addr("10.1.0.2"), 24);
    const struct ifaddrmsg *ifa = (const struct ifaddrmsg *)(b.data + NLMSG_HDRLEN);
    CHECK(ifa->ifa_family == AF_INET && ifa->ifa_prefixlen == 24 && ifa->ifa_index == 5);
    const uint8_t *attrs = b.data + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *ifa);
    size_t alen = b.len - (size_t)(attrs - b.data);
    const struct nlattr *local = find(attrs, alen, IFA_LOCAL);
    CHECK(local && *(const uint32_t *)payload(local) == inet_addr("10.1.0.2"));
    const struct nlattr *brd = find(attrs, alen, IFA_BROADCAST);
    CHECK(brd && *(const uint32_t *)payload(brd) == inet_addr("10.1.0.255"));

    nl_build_default_route(&b, 10, 5, inet_addr("10.1.0.1"));
    const struct rtmsg *rt = (const struct rtmsg *)(b.data + NLMSG_HDRLEN);
    CHECK(rt->rtm_dst_len == 0 && rt->rtm_table == RT_TABLE_MAIN && rt->rtm_type == RTN_UNICAST);
    attrs = b.data + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *rt);
    alen = b.len - (size_t)(attrs - b.data);
    const struct nlattr *gw = find(attrs, alen, RTA_GATEWAY);
    CHECK(gw && *(const uint32_t *)payload(gw) == inet_addr("10.1.0.1"));
    const struct nlattr *oif = find(attrs, alen, RTA_OIF);
    CHECK(oif && *(const uint32_t *)payload(oif) == 5);

    nl_build_link(&b, 11, 0, "lo", 0, 1);
    const struct ifinfomsg *ifi = (const struct ifinfomsg *)(b.data + NLMSG_HDRLEN);
    CHECK(ifi->ifi_index == 0 && ifi->ifi_flags == IFF_UP && ifi->ifi_change == IFF_UP);
    attrs = b.data + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *ifi);
    alen = b.len - (size_t)(attrs - b.data);
    CHECK(find(attrs, alen, IFLA_IFNAME) != NULL && find(attrs, alen, IFLA_MASTER) == NULL);
    nl_build_link(&b, 12, 7, NULL, 3, 1);
    attrs = b.data + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof *ifi);
    alen = b.len - (size_t)(attrs - b.data);
    const struct nlattr *master = find(attrs, alen, IFLA_MASTER);
    CHECK(master && *(const uint32_t *)payload(master) == 3 && find(attrs, alen, IFLA_IFNAME) == NULL);
}

int main(void) {
    test_parse();
    test_attr_alignment();
    test_veth_message();
    test_addr_route_link();
    DONE("netlink");
}
