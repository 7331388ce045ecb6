/* Docker's default device rules as a cgroup v2 BPF_CGROUP_DEVICE program (v1 uses devices.allow/deny). */
#ifndef BERTH_DEVICES_H
#define BERTH_DEVICES_H

#include <stddef.h>
#include <linux/bpf.h>

/* Builds the program into prog (cap instructions); returns the count, 0 when it does not fit. */
size_t devices_prog_build(struct bpf_insn *prog, size_t cap);
/* Loads the program and attaches it to the v2 cgroup dir. */
int devices_attach(const char *cgroup_dir);

#endif
