/* SPDX-License-Identifier: MIT */
/*
 * The local APIC of the calling processor. In xAPIC mode its registers are
 * 4 KiB of MMIO at the address in IA32_APIC_BASE (SDM vol. 3 §11.4.1); the
 * boot page tables map that range uncached. If the firmware left the APIC
 * in x2APIC mode (IA32_APIC_BASE.EXTD), the same registers are MSRs
 * 800h + offset / 16 (§11.12.1) and the ICR is one 64-bit MSR (§11.12.9).
 */
#include "vx/arch.h"
#include "vx/event.h"
#include "percpu.h"
#include "x86/apic.h"
#include "x86/msr.h"

#define APIC_ICR_SPINS 1000000u

static uint64_t apic_base(void)
{
	uint64_t base = 0;

	(void)arch_rdmsr(MSR_IA32_APIC_BASE, &base);
	return base;
}

static bool x2apic(uint64_t base)
{
	return (base & MSR_APIC_BASE_EXTD) != 0;
}

static volatile uint32_t *mmio(uint64_t base, uint32_t offset)
{
	/* Bits 51:12 hold the page; the rest are flags. */
	return (volatile uint32_t *)(uintptr_t)((base & 0x000ffffffffff000ull) + offset);
}

uint32_t arch_apic_read(uint32_t offset)
{
	uint64_t base = apic_base();
	uint64_t v = 0;

	if (!x2apic(base))
		return *mmio(base, offset);
	(void)arch_rdmsr(MSR_IA32_X2APIC_BASE + (offset >> 4), &v);
	return (uint32_t)v;
}

void arch_apic_write(uint32_t offset, uint32_t value)
{
	uint64_t base = apic_base();

	if (!x2apic(base))
		*mmio(base, offset) = value;
	else
		(void)arch_wrmsr(MSR_IA32_X2APIC_BASE + (offset >> 4), value);
}

void hw_apic_send(uint32_t dest, uint32_t icr_low)
{
	uint64_t base = apic_base();

	if (x2apic(base)) {
		(void)arch_wrmsr(MSR_IA32_X2APIC_BASE + (APIC_ICR_LOW >> 4),
				 (uint64_t)dest << 32 | icr_low);
		return;
	}
	/* The high half first: writing the low half sends (§11.6.1). */
	*mmio(base, APIC_ICR_HIGH) = dest << 24;
	*mmio(base, APIC_ICR_LOW) = icr_low;
	/* Let the IPI leave before the caller reuses the ICR; bounded so a
	 * wedged APIC cannot hang the run. */
	for (uint32_t i = 0; i < APIC_ICR_SPINS && (*mmio(base, APIC_ICR_LOW) & APIC_ICR_BUSY); i++)
		arch_cpu_pause();
}

void arch_apic_send_ipi(uint32_t dest, uint32_t icr_low)
{
	struct hv_event ev = { .type = HV_EV_IPI, .source = HV_SRC_SEAM, .v = { dest, icr_low } };

	/* The model reports the same send from its APIC (apic-model/apic_ipi.c). */
	arch_event(&ev);
	hw_apic_send(dest, icr_low);
	/* An INIT may take processors away from the platform (smp.c). */
	if ((icr_low & APIC_DM_MASK) == APIC_DM_INIT)
		hw_smp_note_init(dest, icr_low);
}
