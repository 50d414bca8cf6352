/* SPDX-License-Identifier: MIT */
/*
 * SVM's part of INIT and start-up (emu/src/reset.c has the processor's):
 *
 *  - INIT is held pending while GIF is clear (APM vol. 2 §15.17.1). With GIF
 *    set, a guest whose VMCB intercepts INIT takes #VMEXIT(INIT) and the
 *    INIT stays pending (§15.21.3, events.c). Anywhere else — host code, a
 *    guest without the intercept, code a start-up IPI started — the
 *    processor takes it.
 *  - Code a start-up IPI started runs as a guest of the processor's own
 *    all-clear VMCB (own_vmcb, never in memory). SVM instructions there are
 *    #UD until it sets EFER.SVME; after that they would need host code
 *    running in the engine, which the model does not have (a clear error).
 */
#include <string.h>

#include "svm-model/svm_model.h"
#include "x86/msr.h"

void svm_model_init_reset(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);

	if (s->vm_cr & MSR_VM_CR_R_INIT)
		emu_fatal(cpu, "INIT with VM_CR.R_INIT set would be redirected as #SX "
			  "(APM vol. 2 §15.29): not modelled");
	s->guest = false;
	s->vmcb = NULL;
	s->vmcb_pa = 0;
	s->gprs = NULL;
	s->exit_pending = false;
	s->delivering = false;
	s->vnmi = false;
	s->npt = false;
	s->guest_nmi_blocked = false;
	memset(s->intercepts, 0, sizeof(s->intercepts));
	/* INIT is only taken with GIF set. */
	s->gif = true;
}

void svm_model_bare_enter(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);

	memset(&s->own_vmcb, 0, sizeof(s->own_vmcb));
	s->vmcb = &s->own_vmcb;
	s->vmcb_pa = 0;
	s->guest = true;
}
