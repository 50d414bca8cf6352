/* SPDX-License-Identifier: MIT */
/*
 * The local APIC as a device of the model machine (emu/device.h): its
 * xAPIC page, its timer as the processor's timed event, its MSRs, and its
 * role as the processor's interrupt controller.
 */
#include "apic-model/apic_internal.h"
#include "x86/apic.h"

/* Only aligned 32-bit accesses reach a register (SDM vol. 3 §11.4.1); the
 * model reads anything else as zero and drops it on write. */
static bool register_access(uint32_t offset, unsigned size)
{
	return size == 4 && !(offset & 0xf);
}

static uint64_t page_read(struct emu_cpu *cpu, uint32_t offset, unsigned size)
{
	return register_access(offset, size) ? apic_model_read(cpu, offset) : 0;
}

static void page_write(struct emu_cpu *cpu, uint32_t offset, unsigned size, uint64_t value)
{
	if (register_access(offset, size))
		apic_model_write(cpu, offset, (uint32_t)value);
}

static bool init_pending(struct emu_cpu *cpu)
{
	return apic_of(cpu)->init_pending;
}

static const struct emu_intc apic_intc = {
	.pending_vector = apic_model_pending_vector,
	.ack = apic_model_ack,
	.eoi = apic_model_eoi,
	.init_pending = init_pending,
	.take_init = apic_model_take_init,
	.take_sipi = apic_model_take_sipi,
	.init_reset = apic_model_init_reset,
};

const struct emu_device apic_device = {
	.name = "lapic",
	.cpu_init = apic_model_init,
	.cpu_fini = apic_model_fini,
	.mmio_base = APIC_DEFAULT_BASE,
	.mmio_size = 4096,
	.mmio_read = page_read,
	.mmio_write = page_write,
	.deadline = apic_model_timer_deadline,
	.fire = apic_model_timer_fire,
	.owns_msr = apic_model_owns_msr,
	.rdmsr = apic_model_rdmsr,
	.wrmsr = apic_model_wrmsr,
	.intc = &apic_intc,
};
