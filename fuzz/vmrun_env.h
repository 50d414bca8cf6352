/* SPDX-License-Identifier: MIT */
/*
 * The machine a VMRUN input meets (fuzz_vmrun.c), and its seeds were
 * built on (seeds_vmrun.c): host code on a fresh model machine with SVM
 * on, a long-mode guest as tests/emu/guest_util.c builds it (identity
 * page tables for 4 GiB, GDT, IDT, stack, the code), an IDT gate for
 * vector 20h at the code, and the core's nested tables (hv/svm_npt.h, the
 * xAPIC page left out). Whatever the VMCB names, the same allocations
 * put it at the same address every time.
 */
#ifndef VX_FUZZ_VMRUN_ENV_H
#define VX_FUZZ_VMRUN_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "emu/emu.h"
#include "guest_util.h"

#define FZ_VMRUN_VECTOR 0x20u

/*
 * emu_machine_create with LeakSanitizer looking away: Unicorn 2.1.1 keeps
 * 32 bytes per uc_mem_map_ptr call that uc_close does not free (one per
 * model processor, emu/src/engine.c), the library's leak. Building the
 * machine takes nothing from the input; what the input drives, the run,
 * stays under the leak check.
 */
struct emu_machine *fz_machine_create(const struct emu_config *cfg, char *err, size_t errlen);

struct fz_vmrun_env {
	struct tguest g;
	uint64_t npt_root; /* nested_cr3 for the tables; 0 if they could not be built */
};

void fz_vmrun_env(struct fz_vmrun_env *e, const void *code, size_t len);

#endif
