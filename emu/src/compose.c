/* SPDX-License-Identifier: MIT */
/*
 * The machine's composition root: with arch_model.c (the seam's
 * instructions), the only code of emu/ that names a model. The build checks
 * it (cmake/layer-check.sh).
 */
#include "apic-model/apic_model.h"
#include "emu_internal.h"
#include "svm-model/svm_model.h"
#include "vmx-model/vmx_model.h"

/* An AMD64 processor with SVM, or an Intel 64 one with VMX and its
 * preemption timer, and a local APIC as the interrupt controller. */
void emu_compose(struct emu_machine *m)
{
	m->devices[m->ndevices++] = &apic_device;
	m->intc = apic_device.intc;
	if (m->cfg.vendor == EMU_VENDOR_INTEL) {
		m->vext = &vmx_vext;
		m->devices[m->ndevices++] = &vmx_timer_device;
	} else {
		m->vext = &svm_vext;
	}
}
