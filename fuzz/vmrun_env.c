/* SPDX-License-Identifier: MIT */
/* The VMRUN target's machine (vmrun_env.h). */
#include "vmrun_env.h"

#include <sanitizer/lsan_interface.h>

#include "hv/lib.h"
#include "hv/svm_npt.h"

struct emu_machine *fz_machine_create(const struct emu_config *cfg, char *err, size_t errlen)
{
	struct emu_machine *m;

	__lsan_disable();
	m = emu_machine_create(cfg, err, errlen);
	__lsan_enable();
	return m;
}

void fz_vmrun_env(struct fz_vmrun_env *e, const void *code, size_t len)
{
	struct hv_npt npt;

	tg_svm_on();
	tg_long(&e->g, code, len);
	tg_idt_gate(&e->g, FZ_VMRUN_VECTOR, e->g.code_pa);
	e->npt_root = hv_npt_build(&npt, 0xfee00000) == HV_OK ? npt.root : 0;
}
