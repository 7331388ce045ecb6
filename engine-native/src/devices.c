#include "devices.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* (major, minor) character devices a container may read and write; minor -1 = any. Mirrors the v1 rules. */
static const struct { int major, minor; } ALLOWED[] = {
    {1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 1}, {5, 2}, {136, -1}, {10, 200}};
#define NALLOWED (sizeof ALLOWED / sizeof ALLOWED[0])

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

size_t devices_prog_build(struct bpf_insn *p, size_t cap) {
    size_t n = 0, to_allow[NALLOWED + 1], nallow = 0, to_deny;
    if (cap < 9 + 4 * NALLOWED + 4) return 0;
    p[n++] = INSN(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0);            /* r2 = access_type */
    p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 3, 2, 0, 0);          /* r3 = r2 */
    p[n++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, 3, 0, 0, 0xffff);     /* r3 = device type */
    p[n++] = INSN(BPF_ALU64 | BPF_RSH | BPF_K, 2, 0, 0, 16);         /* r2 = access bits */
    p[n++] = INSN(BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0);            /* r4 = major */
    p[n++] = INSN(BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0);            /* r5 = minor */
    to_allow[nallow++] = n;
    p[n++] = INSN(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 0, BPF_DEVCG_ACC_MKNOD); /* mknod alone: allowed ("*:* m") */
    to_deny = n;
    p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 3, 0, 0, BPF_DEVCG_DEV_CHAR);  /* block devices: denied */
    for (size_t i = 0; i < NALLOWED; i++) {
        int any = ALLOWED[i].minor < 0;
        p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 4, 0, (short)(any ? 1 : 2), ALLOWED[i].major);
        if (!any) p[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 1, ALLOWED[i].minor);
        to_allow[nallow++] = n;
        p[n++] = INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0);
    }
    size_t deny = n;
    p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
    p[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    size_t allow = n;
    p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
    p[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    for (size_t i = 0; i < nallow; i++) p[to_allow[i]].off = (short)(allow - to_allow[i] - 1);
    p[to_deny].off = (short)(deny - to_deny - 1);
    return n;
}

int devices_attach(const char *cgroup_dir) {
    struct bpf_insn prog[64];
    size_t n = devices_prog_build(prog, 64);
    char log[4096] = "";
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    a.insns = (unsigned long)prog;
    a.insn_cnt = (unsigned)n;
    a.license = (unsigned long)"MIT";
    a.log_buf = (unsigned long)log;
    a.log_size = sizeof log;
    a.log_level = 1;
    int pfd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a);
    if (pfd < 0) return err_sys("cgroup_failed", "cannot load the device filter (%.200s)", log);
    int cfd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cfd < 0) {
        close(pfd);
        return err_sys("cgroup_failed", "cannot open %s", cgroup_dir);
    }
    memset(&a, 0, sizeof a);
    a.target_fd = (unsigned)cfd;
    a.attach_bpf_fd = (unsigned)pfd;
    a.attach_type = BPF_CGROUP_DEVICE;
    int rc = (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof a);
    int e = errno;
    close(cfd);
    close(pfd); /* the attachment keeps the program alive as long as the cgroup exists */
    errno = e;
    if (rc < 0) return err_sys("cgroup_failed", "cannot attach the device filter to %s", cgroup_dir);
    return 0;
}
