/* SPDX-License-Identifier: MIT */
/*
 * The machine's composition root: with arch_model.c (the seam's
 * instructions), the only code of emu/ that names a model. The build checks
 * it (cmake/layer-check.sh).
 */
#include "apic-model/apic_model.h"
#include "emu_internal.h"
#include "svm-model/svm_model.h"

/* An AMD64 processor with SVM, and a local APIC as its interrupt
 * controller and its one device. */
void emu_compose(struct emu_machine *m)
{
	m->vext = &svm_vext;
	m->devices[m->ndevices++] = &apic_device;
	m->intc = apic_device.intc;
}
