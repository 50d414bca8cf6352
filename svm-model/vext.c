/* SPDX-License-Identifier: MIT */
/*
 * SVM as the model processor's virtualization extension (emu/vext.h).
 */
#include "svm-model/svm_model.h"
#include "x86/cpu.h"

/* What the hardware image leaves between functions (hw_cpu_reset): SVM
 * off, GIF set, no host save area. */
static void host_reset(struct emu_cpu *cpu)
{
	struct svm_cpu *s = svm_of(cpu);

	s->gif = true;
	cpu->efer &= ~X86_EFER_SVME;
	s->vm_hsave_pa = 0;
}

const struct emu_vext svm_vext = {
	.name = "svm",
	.cpu_init = svm_model_cpu_init,
	.cpu_fini = svm_model_cpu_fini,
	.trap_wanted = svm_model_trap_wanted,
	.iret_completed = svm_model_iret_completed,
	.signal = svm_model_signal,
	.host_events = svm_model_host_events,
	.reclaim = svm_model_reclaim,
	.host_reset = host_reset,
	.rdmsr = svm_model_rdmsr,
	.wrmsr = svm_model_wrmsr,
	.cpuid = svm_model_cpuid,
};
