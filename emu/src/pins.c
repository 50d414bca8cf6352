/* SPDX-License-Identifier: MIT */
/*
 * The lines between each processor and its interrupt controller
 * (emu/pins.h): the controller drives them, the virtualization extension
 * decides what they mean in the processor's mode, and this file is all
 * either knows of the other.
 */
#include "emu_internal.h"

void emu_pin_intr(struct emu_cpu *cpu, bool level)
{
	cpu->pins.intr = level;
}

void emu_pin_nmi(struct emu_cpu *cpu)
{
	cpu->pins.nmi = true;
}

void emu_pin_init_sipi(struct emu_cpu *cpu)
{
	emu_signal(cpu);
}

int emu_intc_pending_vector(struct emu_cpu *cpu)
{
	return cpu->m->intc->pending_vector(cpu);
}

void emu_intc_ack(struct emu_cpu *cpu, int vector)
{
	cpu->m->intc->ack(cpu, vector);
}

void emu_intc_eoi(struct emu_cpu *cpu)
{
	cpu->m->intc->eoi(cpu);
}

bool emu_intc_init_pending(struct emu_cpu *cpu)
{
	return cpu->m->intc->init_pending(cpu);
}

bool emu_intc_take_init(struct emu_cpu *cpu)
{
	return cpu->m->intc->take_init(cpu);
}

bool emu_intc_take_sipi(struct emu_cpu *cpu, uint8_t *vector)
{
	return cpu->m->intc->take_sipi(cpu, vector);
}

void emu_intc_init_reset(struct emu_cpu *cpu)
{
	cpu->m->intc->init_reset(cpu);
}
