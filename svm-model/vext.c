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

/* Guest mode: between VMRUN and #VMEXIT, or code a start-up IPI started
 * (a guest of the processor's own all-clear VMCB). */
static bool in_guest(struct emu_cpu *cpu)
{
	return svm_of(cpu)->guest;
}

static bool guest_left(struct emu_cpu *cpu)
{
	return svm_of(cpu)->exit_pending;
}

const struct emu_vext svm_vext = {
	.name = "svm",
	.cpu_init = svm_model_cpu_init,
	.cpu_fini = svm_model_cpu_fini,
	.in_guest = in_guest,
	.guest_left = guest_left,
	.take_events = svm_take_events,
	.trap_wanted = svm_model_trap_wanted,
	.iret_unblocks = svm_model_iret_unblocks,
	.iret_completed = svm_model_iret_completed,
	.trap = svm_handle_trap,
	.invalid = svm_handle_invalid,
	.exception = svm_handle_exception,
	.slat_fault = svm_model_slat_fault,
	.raise = svm_raise,
	.owns_msr = svm_model_owns_msr,
	.host_events = svm_model_host_events,
	.init_reset = svm_model_init_reset,
	.bare_enter = svm_model_bare_enter,
	.host_reset = host_reset,
	.rdmsr = svm_model_rdmsr,
	.wrmsr = svm_model_wrmsr,
	.cpuid = svm_model_cpuid,
};
