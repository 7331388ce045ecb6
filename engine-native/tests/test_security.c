#include "check.h"
#include "security.h"
#include "util.h"
#include <linux/filter.h>
#include <linux/seccomp.h>

static const char *PASSWD = "root:x:0:0:root:/root:/bin/sh\n# comment\napp:x:1000:1001:App:/home/app:/bin/sh\n"
                            "nobody:x:65534:65534::/nonexistent:/bin/false";
static const char *GROUP = "root:x:0:\nstaff:x:50:app,other\napp:x:1001:\nwheel:x:10:other\nnogroup:x:65534:";

static void test_users(void) {
    struct user u;
    CHECK(user_resolve("", PASSWD, GROUP, &u) == 0 && u.uid == 0 && u.gid == 0 && !strcmp(u.home, "/root"));
    CHECK(user_resolve("app", PASSWD, GROUP, &u) == 0 && u.uid == 1000 && u.gid == 1001 && !strcmp(u.home, "/home/app"));
    CHECK(u.ngroups == 2 && u.groups[0] == 1001 && u.groups[1] == 50);   /* primary + staff, not wheel */
    CHECK(user_resolve("app:wheel", PASSWD, GROUP, &u) == 0 && u.uid == 1000 && u.gid == 10);
    CHECK(user_resolve("1000:50", PASSWD, GROUP, &u) == 0 && u.uid == 1000 && u.gid == 50);
    CHECK(user_resolve("4242", PASSWD, GROUP, &u) == 0 && u.uid == 4242 && u.gid == 0); /* numeric, no entry */
    CHECK(user_resolve("4242:7", NULL, NULL, &u) == 0 && u.uid == 4242 && u.gid == 7);
    CHECK(user_resolve("ghost", PASSWD, GROUP, &u) == -1 && !strcmp(g_err.code, "bad_user") && strstr(g_err.msg, "unable to find user ghost"));
    CHECK(user_resolve("app:ghosts", PASSWD, GROUP, &u) == -1 && strstr(g_err.msg, "unable to find group ghosts"));
    CHECK(user_resolve("app:", PASSWD, GROUP, &u) == -1);
    CHECK(user_resolve("root", NULL, NULL, &u) == -1);     /* a name needs /etc/passwd */
}

/* Runs the classic BPF program on one syscall: a tiny interpreter for the subset seccomp_build emits. */
static uint32_t run(const struct sock_filter *f, size_t n, int nr, uint32_t arch, uint64_t arg0) {
    struct seccomp_data d = {.nr = nr, .arch = arch};
    d.args[0] = arg0;
    uint32_t a = 0;
    for (size_t pc = 0; pc < n; pc++) {
        const struct sock_filter *i = &f[pc];
        switch (i->code) {
        case BPF_LD | BPF_W | BPF_ABS: memcpy(&a, (const char *)&d + i->k, 4); break;
        case BPF_JMP | BPF_JEQ | BPF_K: pc += a == i->k ? i->jt : i->jf; break;
        case BPF_JMP | BPF_JGE | BPF_K: pc += a >= i->k ? i->jt : i->jf; break;
        case BPF_JMP | BPF_JGT | BPF_K: pc += a > i->k ? i->jt : i->jf; break;
        case BPF_JMP | BPF_JSET | BPF_K: pc += (a & i->k) ? i->jt : i->jf; break;
        case BPF_RET | BPF_K: return i->k;
        default: return 0xdeadbeef;
        }
    }
    return 0xdeadbeef;
}

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/audit.h>

static void test_seccomp(void) {
    struct sock_filter prog[256];
    size_t n = seccomp_build(prog, 256);
    CHECK(n > 50 && n < 256);
    CHECK(seccomp_build(prog, 10) == 0);                  /* refuses to truncate */
    const uint32_t ARCH = AUDIT_ARCH_X86_64, EPERM_RET = SECCOMP_RET_ERRNO | EPERM;
    CHECK(run(prog, n, __NR_read, ARCH, 0) == SECCOMP_RET_ALLOW);
    CHECK(run(prog, n, __NR_execve, ARCH, 0) == SECCOMP_RET_ALLOW);
    CHECK(run(prog, n, __NR_unshare, ARCH, 0) == EPERM_RET);
    CHECK(run(prog, n, __NR_mount, ARCH, 0) == EPERM_RET);
    CHECK(run(prog, n, __NR_keyctl, ARCH, 0) == EPERM_RET);
    CHECK(run(prog, n, __NR_clone, ARCH, SIGCHLD) == SECCOMP_RET_ALLOW);
    CHECK(run(prog, n, __NR_clone, ARCH, CLONE_NEWUSER | SIGCHLD) == EPERM_RET);
    CHECK(run(prog, n, __NR_clone3, ARCH, 0) == (SECCOMP_RET_ERRNO | ENOSYS));
    CHECK(run(prog, n, __NR_personality, ARCH, 0x8) == SECCOMP_RET_ALLOW);
    CHECK(run(prog, n, __NR_personality, ARCH, 0x0040000) == EPERM_RET); /* ADDR_NO_RANDOMIZE */
    CHECK(run(prog, n, __NR_socket, ARCH, AF_INET) == SECCOMP_RET_ALLOW);
    CHECK(run(prog, n, __NR_socket, ARCH, AF_VSOCK) == EPERM_RET);
    CHECK(run(prog, n, 9999, ARCH, 0) == (SECCOMP_RET_ERRNO | ENOSYS));
    CHECK(run(prog, n, __NR_read, AUDIT_ARCH_I386, 0) == EPERM_RET);
    CHECK(run(prog, n, 0x40000000 | __NR_read, ARCH, 0) == EPERM_RET);
}

int main(void) {
    test_users();
    test_seccomp();
    DONE("test-security");
}
